// The Playground page: controls and drawing on the main thread; training in a Web Worker. This
// entry wires them: the worker's answers go to the drawing and the formula panel.
import katex from 'katex';
import { element, say } from './dom.js';
import { fillFormulaChoices, syncControls } from './controls.js';
import { show } from './drawing.js';
import './editing.js';
import { drawNetwork } from './network-view.js';
import type { Response } from './protocol.js';
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
    drawNetwork(data.snapshot);
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
    katex.render(`${name(data.node)} = ${data.formula}`, element('formula'), math);
    katex.render(
      `\\frac{\\partial ${name(data.node)}}{\\partial ${name(data.weight)}} = ${data.gradient}`,
      element('gradient'),
      math,
    );
  } else if (data.type === 'model') {
    void state.afterExport?.(data.text, data.sample);
    state.afterExport = undefined;
  }
};
// Inline mode, so that KaTeX may break a long formula after its operators.
const math = { throwOnError: false, displayMode: false };

syncControls();
reset();
