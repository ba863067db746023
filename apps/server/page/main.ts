// The Playground page: controls and drawing on the main thread; training in a Web Worker. This
// entry wires them: the worker's answers go to the drawing and the formula panel.
import katex from 'katex';
import { prepareExperiment, viewDomain, type Domain } from '@dendrite/nn';
import { element, say } from './dom.js';
import { fillFormulaChoices, syncControls } from './controls.js';
import { show } from './drawing.js';
import './editing.js';
import { drawNetwork, watchNetworkWidth } from './network-view.js';
import { plan } from './plan.js';
import type { Response, Setup, Snapshot } from './protocol.js';
import { pump, reset, setPlaying, state, worker } from './state.js';
import './style.css';
import 'katex/dist/katex.min.css';

worker.onmessage = ({ data }: MessageEvent<Response>) => {
  if (data.type === 'error') {
    state.busy = false;
    setPlaying(false);
    say(data.message);
    return;
  }
  if (data.type === 'ready') {
    state.points = data.points;
    drawNetwork(data.snapshot.shape, data.snapshot.domain);
    fillFormulaChoices(data.snapshot);
  }
  if (data.type === 'edited') {
    show(data.snapshot, false);
  } else if (data.type === 'ready' || data.type === 'snapshot') {
    state.busy = false;
    show(data.snapshot);
    if (state.playing) requestAnimationFrame(pump);
    else pump();
  } else if (data.type === 'formula') {
    const name = (label: string) => label.replace(/^([a-z])(\d+)$/, '$1_{$2}');
    showMath('formula', `${name(data.node)} = ${data.formula}`);
    const where = element('formula-where');
    where.replaceChildren();
    where.hidden = data.where.length === 0;
    for (const line of data.where) {
      const item = document.createElement('div');
      item.className = 'math';
      where.append(item);
      showMath(item, line);
    }
    showMath(
      'gradient',
      `\\frac{\\partial ${name(data.node)}}{\\partial ${name(data.weight)}} = ${data.gradient}`,
    );
  } else if (data.type === 'model') {
    void state.afterExport?.(data.text, data.sample);
    state.afterExport = undefined;
  }
};
/**
 * Renders LaTeX into a box, whole: inline, so that KaTeX breaks it after its top-level operators;
 * smaller (down to 70%) if a part still does not fit; and if even that is too wide, the box
 * scrolls and says so (a note where it starts, a dashed right edge): no term hidden without a cue.
 */
function showMath(box: string | HTMLElement, tex: string): void {
  const target = typeof box === 'string' ? element(box) : box;
  target.style.fontSize = '';
  katex.render(tex, target, { throwOnError: false, displayMode: false });
  const scale = target.clientWidth / target.scrollWidth;
  if (scale < 1) target.style.fontSize = `${1.1 * Math.max(0.7, scale)}rem`;
  target.classList.toggle('overflowing', target.scrollWidth > target.clientWidth + 1);
}

// Until the worker answers, the page shows the data and the untrained network at once, drawn
// here: nothing waits on the worker to draw (a screenshot taken early shows them too).
document.addEventListener('setup', (event) => {
  const { points, network } = prepareExperiment(plan((event as CustomEvent<Setup>).detail));
  state.points = points;
  const domain = viewDomain([...points.train, ...points.test]);
  drawNetwork(network.shape, domain);
  show(untrained(network.shape, domain), false);
});

/** What the page shows before the worker's first answer: no losses, no outputs, no weights. */
function untrained(shape: readonly number[], domain: Domain): Snapshot {
  return {
    epoch: 0,
    trainLoss: NaN,
    testLoss: NaN,
    domain,
    output: new Float64Array(100 * 100),
    thumbnails: {},
    parameters: {},
    shape: [...shape],
  };
}

watchNetworkWidth();
syncControls();
reset();
