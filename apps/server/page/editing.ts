// Editing on the network: a click on a neuron shows its formula; a click on a link opens an
// editor for its weight, which the worker sets, so that the next step trains from it.
import { requestFormula } from './controls.js';
import { element, input, say, select } from './dom.js';
import { ask, state } from './state.js';

element('network').addEventListener('neuron-click', (event) => {
  const node = (event as CustomEvent<string>).detail;
  select('formula-node').value = node;
  requestFormula();
  element('formula-title').scrollIntoView({ block: 'nearest' });
});

element('network').addEventListener('link-click', (event) => {
  const { weight } = (event as CustomEvent<{ weight: string }>).detail;
  const editor = element<HTMLFormElement>('weight-editor');
  editor.dataset.weight = weight;
  element('weight-name').textContent = `Weight ${weight}`;
  input('weight-value').value = String(state.last?.parameters[weight] ?? 0);
  editor.hidden = false;
  input('weight-value').focus();
  input('weight-value').select();
});

element('weight-editor').addEventListener('submit', (event) => {
  event.preventDefault();
  const editor = element<HTMLFormElement>('weight-editor');
  const value = Number(input('weight-value').value);
  if (!Number.isFinite(value)) return say('a weight must be a number');
  ask({ type: 'setWeight', label: editor.dataset.weight!, value });
  editor.hidden = true;
});
element('weight-cancel').addEventListener('click', () => {
  element('weight-editor').hidden = true;
});
