// The controls: every input of the page bound to the settings (most changes start over, as on
// the Playground), the CSV upload, the formula panel's choices and the model's export.
import { boundaryColor, classColor, features as allFeatures, type Feature } from '@dendrite/nn';
import { defaultColumns, readPoints, readTable, type Columns } from './csv.js';
import { drawChart } from './chart.js';
import { drawHeatmap } from './drawing.js';
import { featureNames, updateNetwork } from './network-view.js';
import { element, input, say, select } from './dom.js';
import type { Snapshot } from './protocol.js';
import { ask, reset, setPlaying, state, step, writeHash, type Settings } from './state.js';

/** Lists the neurons and weights to show the formula of, and asks for the formula. */
export function fillFormulaChoices(snapshot: Snapshot): void {
  const fill = (id: string, labels: string[], keep: string) => {
    const list = select(id);
    list.replaceChildren(...labels.map((label) => new Option(label, label)));
    list.value = labels.includes(keep) ? keep : labels.at(-1)!;
  };
  fill('formula-node', Object.keys(snapshot.thumbnails), 'o1');
  fill('formula-weight', Object.keys(snapshot.parameters), 'w1');
  requestFormula();
}

/** Asks the worker for the chosen neuron's formula and its gradient. */
export function requestFormula(): void {
  ask({
    type: 'formula',
    node: select('formula-node').value,
    weight: select('formula-weight').value,
  });
}

/** Shows the settings in the controls. */
export function syncControls(): void {
  const regression = state.settings.problem === 'regression';
  select('dataset').value = state.userPoints
    ? 'csv'
    : regression
      ? state.settings.regDataset
      : state.settings.dataset;
  select('activation').value = state.settings.activation;
  choose('learning-rate', state.settings.learningRate);
  select('regularization').value = state.settings.regularization;
  choose('regularization-rate', state.settings.regularizationRate);
  for (const [id, value] of [
    ['ratio', state.settings.percTrainData],
    ['noise', state.settings.noise],
    ['batch', state.settings.batchSize],
  ] as const) {
    input(id).value = String(value);
    element(`${id}-value`).textContent = String(value);
  }
  input('show-test').checked = state.settings.showTestData;
  input('discretize').checked = state.settings.discretize;
  for (const box of element('features').querySelectorAll('input')) {
    box.checked = state.settings.features.includes(box.value as Feature);
  }
}

/** Selects a number in a list, adding it first if a URL brought one the list lacks. */
function choose(id: string, value: number): void {
  const list = select(id);
  if (![...list.options].some((option) => option.value === String(value))) {
    list.append(new Option(String(value)));
  }
  list.value = String(value);
}

/** Binds a control: `apply` changes the settings; most changes start over, as on the Playground. */
function on(id: string, event: string, apply: (value: string) => void, restart = true): void {
  element(id).addEventListener(event, (e) => {
    apply((e.target as HTMLInputElement).value);
    syncControls();
    if (restart) reset();
    else writeHash();
  });
}

for (const name of Object.keys(allFeatures) as Feature[]) {
  const label = document.createElement('label');
  const box = Object.assign(document.createElement('input'), { type: 'checkbox', value: name });
  label.append(box, ` ${featureNames[name]}`);
  element('features').append(label);
  box.addEventListener('change', () => {
    const chosen = new Set(state.settings.features);
    if (box.checked) chosen.add(name);
    else chosen.delete(name);
    if (chosen.size === 0) {
      box.checked = true;
      say('keep at least one input feature');
      return;
    }
    state.settings.features = (Object.keys(allFeatures) as Feature[]).filter((f) => chosen.has(f));
    reset();
  });
}

on('dataset', 'change', (value) => {
  if (value === 'csv') return;
  state.userPoints = undefined;
  element('csv-columns').hidden = true;
  showLegend(undefined);
  element('data-note').textContent = '';
  select('dataset').querySelector('option[value="csv"]')?.remove();
  if (value.startsWith('reg-')) {
    state.settings.problem = 'regression';
    state.settings.regDataset = value as Settings['regDataset'];
  } else {
    state.settings.problem = 'classification';
    state.settings.dataset = value as Settings['dataset'];
  }
});
on('regenerate', 'click', () => (state.settings.seed = Math.random().toFixed(5)));
on('ratio', 'input', (value) => (state.settings.percTrainData = Number(value)));
on('noise', 'input', (value) => (state.settings.noise = Number(value)));
on('batch', 'input', (value) => (state.settings.batchSize = Number(value)));
on(
  'activation',
  'change',
  (value) => (state.settings.activation = value as Settings['activation']),
);
on(
  'regularization',
  'change',
  (value) => (state.settings.regularization = value as Settings['regularization']),
);
on('regularization-rate', 'change', (value) => (state.settings.regularizationRate = Number(value)));
// These change the next updates or the picture, not the experiment. A new learning rate applies
// from the next update on, to the same run, as on the Playground.
on(
  'learning-rate',
  'change',
  (value) => {
    state.settings.learningRate = Number(value);
    ask({ type: 'learningRate', value: state.settings.learningRate });
  },
  false,
);
for (const [id, key] of [
  ['show-test', 'showTestData'],
  ['discretize', 'discretize'],
] as const) {
  on(
    id,
    'change',
    () => {
      state.settings[key] = input(id).checked;
      if (state.last === undefined) return;
      drawHeatmap();
      updateNetwork(state.last);
    },
    false,
  );
}
element('add-layer').addEventListener('click', () => {
  if (state.settings.networkShape.length >= 6) return;
  state.settings.networkShape.push(2);
  reset();
});
element('remove-layer').addEventListener('click', () => {
  if (state.settings.networkShape.length === 0) return;
  state.settings.networkShape.pop();
  reset();
});
element('play').addEventListener('click', () => setPlaying(!state.playing));
element('step').addEventListener('click', () => {
  setPlaying(false);
  step();
});
element('reset').addEventListener('click', () => {
  setPlaying(false);
  reset();
});
element('formula-node').addEventListener('change', requestFormula);
element('formula-weight').addEventListener('change', requestFormula);

element('csv').addEventListener('change', () => void loadCsv());
for (const axis of ['x', 'y', 'label'] as const) {
  element(`csv-${axis}`).addEventListener('change', () => {
    if (state.userPoints === undefined) return;
    const columns = { ...state.userPoints.columns, [axis]: select(`csv-${axis}`).value };
    usePoints(state.userPoints.table, columns);
  });
}

/** Reads the chosen CSV file and restarts on its points, from the columns named x, y and label if it has them. */
async function loadCsv(): Promise<void> {
  const file = input('csv').files?.[0];
  if (file === undefined) return;
  let table;
  try {
    table = readTable(await file.text(), file.name);
  } catch (error) {
    say((error as Error).message, 'csv-error');
    return;
  }
  const columns = defaultColumns(table);
  for (const axis of ['x', 'y', 'label'] as const) {
    const list = select(`csv-${axis}`);
    list.replaceChildren(...table.columns.map((name) => new Option(name, name)));
    list.value = columns[axis];
  }
  element('csv-columns').hidden = false;
  usePoints(table, columns);
}

/** Restarts on the points of these columns, with a legend of their classes. */
function usePoints(table: NonNullable<typeof state.userPoints>['table'], columns: Columns): void {
  let read;
  try {
    read = readPoints(table, columns);
  } catch (error) {
    say((error as Error).message, 'csv-error');
    return;
  }
  state.userPoints = { table, columns, ...read };
  state.settings.problem = read.classes === undefined ? 'regression' : 'classification';
  if (!select('dataset').querySelector('option[value="csv"]')) {
    select('dataset').append(new Option(`Your CSV (${table.source})`, 'csv'));
  }
  element('data-note').textContent = `${read.points.length} points from ${table.source}`;
  showLegend(read.classes);
  say('', 'csv-error');
  syncControls();
  reset();
}

/** One swatch per class: the Playground's orange and blue for two, a colour each for more. */
function showLegend(classes: string[] | undefined): void {
  const legend = element('legend');
  legend.replaceChildren();
  legend.hidden = classes === undefined;
  classes?.forEach((name, i) => {
    const [r, g, b] = classes.length === 2 ? boundaryColor(i === 0 ? -1 : 1) : classColor(i);
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = `rgb(${r}, ${g}, ${b})`;
    item.append(swatch, name);
    legend.append(item);
  });
}

input('log-scale').addEventListener('change', drawChart);

// Export: download the model, or send it to this server and compare its prediction.

element('download').addEventListener('click', () => {
  state.afterExport = (text) => {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    link.download = 'playground-model.json';
    link.click();
    URL.revokeObjectURL(link.href);
  };
  ask({ type: 'export' });
});

element('send').addEventListener('click', () => {
  const result = element('server-result');
  result.textContent = 'sending…';
  state.afterExport = async (text, sample) => {
    try {
      const token = element<HTMLInputElement>('admin-token').value.trim();
      const put = await fetch('/v2/models/playground', {
        method: 'PUT',
        headers: {
          'content-type': 'application/json',
          ...(token === '' ? {} : { authorization: `Bearer ${token}` }),
        },
        body: text,
      });
      if (!put.ok) throw new Error(((await put.json()) as { error: string }).error);
      const infer = await fetch('/v2/models/playground/infer', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          inputs: [{ name: 'input', shape: [1, 2], datatype: 'FP64', data: sample.input }],
        }),
      });
      const answer = (await infer.json()) as { outputs?: { data: number[] }[]; error?: string };
      if (!infer.ok) throw new Error(answer.error);
      const [x, y] = sample.input.map((v) => v.toFixed(2));
      result.textContent =
        `The server now serves model "playground". At (${x}, ${y}) it predicts ` +
        `${answer.outputs![0]!.data[0]}; this page: ${sample.output}.`;
    } catch (error) {
      result.textContent = `The server did not take the model: ${(error as Error).message}`;
    }
  };
  ask({ type: 'export' });
});
