// A TensorFlow Playground URL read into its settings, and settings written back as a hash.
import { isActivation, type Activation } from './activations.js';
import { features as allFeatures, type Feature } from './data.js';
import { NeuralNetworkError } from './errors.js';

/** A TensorFlow Playground experiment, as its URL's hash states it (defaults filled in as the page does). */
export interface PlaygroundSettings {
  /** The `seed` the page seeds its random stream with; `undefined` when the URL has none. */
  seed: string | undefined;
  problem: 'classification' | 'regression';
  dataset: 'circle' | 'xor' | 'gauss' | 'spiral';
  regDataset: 'reg-plane' | 'reg-gauss';
  /** The URL's noise, 0–50 (the generators get it divided by 100). */
  noise: number;
  /** Percent of the points to train on, 10–90; the rest are the test set. */
  percTrainData: number;
  /** The enabled input features, in the order the page lists them. */
  features: Feature[];
  /** Hidden layer sizes. */
  networkShape: number[];
  activation: Activation;
  learningRate: number;
  batchSize: number;
  regularization: 'none' | 'L1' | 'L2';
  regularizationRate: number;
  initZero: boolean;
  showTestData: boolean;
  discretize: boolean;
}

const booleanKeys = ['initZero', 'showTestData', 'discretize'] as const;
const choices = {
  problem: ['classification', 'regression'],
  dataset: ['circle', 'xor', 'gauss', 'spiral'],
  regDataset: ['reg-plane', 'reg-gauss'],
  regularization: ['none', 'L1', 'L2'],
} as const;
const defaults: Omit<PlaygroundSettings, 'seed' | 'features'> = {
  problem: 'classification',
  dataset: 'circle',
  regDataset: 'reg-plane',
  noise: 0,
  percTrainData: 50,
  networkShape: [4, 2],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  regularization: 'none',
  regularizationRate: 0,
  initZero: false,
  showTestData: false,
  discretize: false,
};

/**
 * The experiment a TensorFlow Playground URL describes (or just its hash). Keys the URL leaves out
 * take the page's defaults; values the page would not offer throw one `NeuralNetworkError` that
 * names every one of them.
 */
export function parsePlaygroundUrl(url: string): PlaygroundSettings {
  const { settings, problems } = readPlaygroundUrl(url);
  if (problems.length > 0) {
    throw new NeuralNetworkError(`in the Playground URL: ${problems.join('; ')}`);
  }
  return settings;
}

/**
 * The experiment a Playground URL describes, forgiving: a key whose value the page would not
 * offer keeps its default and is listed in `problems`, and the good keys are kept.
 */
export function readPlaygroundUrl(url: string): {
  settings: PlaygroundSettings;
  problems: string[];
} {
  const problems: string[] = [];
  const fail = (message: string): undefined => {
    problems.push(message);
    return undefined;
  };
  const example = 'https://playground.tensorflow.org/#activation=tanh&networkShape=4,2 or its hash';
  if (typeof url !== 'string') {
    fail(`expected text such as ${example}`);
    return {
      settings: {
        ...defaults,
        networkShape: [...defaults.networkShape],
        seed: undefined,
        features: ['x', 'y'],
      },
      problems,
    };
  }
  const text = url.trim();
  // A URL's hash; a URL without one is the page's defaults; anything else must be a hash itself.
  const hash = text.includes('#')
    ? text.slice(text.indexOf('#') + 1)
    : /^[a-z][a-z\d+.-]*:\/\//i.test(text)
      ? ''
      : text;
  const map = new Map<string, string>();
  for (const pair of hash.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    if (equals < 1) {
      fail(`"${pair}" is not a key=value pair; give a Playground URL such as ${example}`);
      continue;
    }
    const value = safeDecode(pair.slice(equals + 1));
    if (value === undefined) fail(`"${pair.slice(equals + 1)}" is not valid URL encoding`);
    else map.set(pair.slice(0, equals), value);
  }
  if (map.size > 0 && ![...map.keys()].some(isPlaygroundKey)) {
    fail(
      `none of ${[...map.keys()].join(', ')} is a Playground setting; give a URL such as ${example}`,
    );
  }
  // As the page reads them: a key with an empty value counts as missing.
  const given = (name: string) => {
    const value = map.get(name);
    return value === undefined || value.trim() === '' ? undefined : value;
  };
  const number = (name: string, low: number, high: number, whole = false) => {
    const text = given(name);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!(value >= low && value <= high) || (whole && !Number.isInteger(value))) {
      return fail(
        `${name}=${text} must be a ${whole ? 'whole ' : ''}number from ${low} to ${high}`,
      );
    }
    return value;
  };
  const choice = <K extends keyof typeof choices>(name: K) => {
    const text = given(name);
    if (text === undefined) return undefined;
    if (!(choices[name] as readonly string[]).includes(text)) {
      return fail(`${name}=${text} is not one of ${choices[name].join(', ')}`);
    }
    return text as (typeof choices)[K][number];
  };
  // Booleans: anything but "false" is true, as on the page.
  const flag = (name: string) => (given(name) === undefined ? undefined : given(name) !== 'false');

  const activationText = given('activation');
  const activation =
    activationText === undefined || isActivation(activationText)
      ? activationText
      : fail(`activation=${activationText} is not one of relu, tanh, sigmoid, linear`);
  let networkShape: number[] | undefined;
  const shapeText = map.get('networkShape');
  if (shapeText !== undefined) {
    networkShape = shapeText.trim() === '' ? [] : shapeText.split(',').map(Number);
    if (!networkShape.every((size) => Number.isInteger(size) && size >= 1)) {
      networkShape = fail(`networkShape=${shapeText} must list whole numbers ≥ 1, e.g. 4,2`);
    }
  }
  // x and y are on unless switched off; the others off unless switched on; `<name>_hide=true`
  // removes a feature from the page altogether. (cosX and cosY are keys without a feature.)
  let features = (Object.keys(allFeatures) as Feature[]).filter(
    (name) => (flag(name) ?? (name === 'x' || name === 'y')) && map.get(`${name}_hide`) !== 'true',
  );
  if (features.length === 0) {
    fail('every input feature is off; turn on at least one');
    features = ['x', 'y'];
  }

  const settings: PlaygroundSettings = {
    ...defaults,
    networkShape: [...defaults.networkShape],
    seed: given('seed'),
    features,
  };
  const assign = <K extends keyof PlaygroundSettings>(key: K, value?: PlaygroundSettings[K]) => {
    if (value !== undefined) settings[key] = value;
  };
  assign('problem', choice('problem'));
  assign('dataset', choice('dataset'));
  assign('regDataset', choice('regDataset'));
  assign('regularization', choice('regularization'));
  assign('activation', activation);
  assign('networkShape', networkShape);
  assign('noise', number('noise', 0, 50));
  assign('percTrainData', number('percTrainData', 1, 100));
  assign('learningRate', number('learningRate', Number.MIN_VALUE, 1e6));
  assign('batchSize', number('batchSize', 1, 1e6, true));
  assign('regularizationRate', number('regularizationRate', 0, 1e6));
  for (const key of booleanKeys) assign(key, flag(key));
  return { settings, problems };
}

// The keys the page reads (the feature keys too, and `<feature>_hide`), and those it writes but ignores.
const playgroundKeys = new Set([
  ...Object.keys(defaults),
  ...Object.keys(allFeatures),
  ...['seed', 'cosX', 'cosY', 'collectStats', 'hideText', 'tutorial'],
]);

function isPlaygroundKey(key: string): boolean {
  return playgroundKeys.has(key.endsWith('_hide') ? key.slice(0, -'_hide'.length) : key);
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/**
 * The URL hash (without `#`) of an experiment, with the Playground's keys in the order its page
 * writes them, so `parsePlaygroundUrl(toPlaygroundHash(s))` gives `s` back.
 */
export function toPlaygroundHash(settings: PlaygroundSettings): string {
  const on = (feature: Feature) => String(settings.features.includes(feature));
  const pairs: [string, string | number | boolean | undefined][] = [
    ['activation', settings.activation],
    ['regularization', settings.regularization === 'none' ? undefined : settings.regularization],
    ['batchSize', settings.batchSize],
    ['dataset', settings.dataset],
    ['regDataset', settings.regDataset],
    ['learningRate', settings.learningRate],
    ['regularizationRate', settings.regularizationRate],
    ['noise', settings.noise],
    ['networkShape', settings.networkShape.join(',')],
    ['seed', settings.seed],
    ['showTestData', settings.showTestData],
    ['discretize', settings.discretize],
    ['percTrainData', settings.percTrainData],
    ['x', on('x')],
    ['y', on('y')],
    ['xTimesY', on('xTimesY')],
    ['xSquared', on('xSquared')],
    ['ySquared', on('ySquared')],
    ['cosX', false],
    ['sinX', on('sinX')],
    ['cosY', false],
    ['sinY', on('sinY')],
    ['problem', settings.problem],
    ['initZero', settings.initZero],
  ];
  return pairs
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${String(value).replace(/[&=#%\s]/g, encodeURIComponent)}`)
    .join('&');
}
