import type {
  Experiment,
  Feature,
  LayerActivation,
  LearningRateSchedule,
  Loss,
  Metrics,
  TrainResult,
} from '@dendrite/nn';
import type { Labelled } from '../data.js';
import type { Io } from '../io.js';
import { classTables, isClassification, metricsLine, onlyClassPredicted } from '../report.js';
import { json, lossChart } from '../text.js';
import type { TrainCommandOptions } from './train-setup.js';

/** What a training run did, for its report. */
export interface TrainingDone {
  options: TrainCommandOptions;
  data: Labelled;
  source: string;
  features: Feature[] | undefined;
  experiment: Experiment;
  output: { size: number; activation: LayerActivation; loss: Loss };
  normalize: boolean;
  schedule: LearningRateSchedule;
  training: Record<string, unknown>;
  history: TrainResult;
  metrics: Record<string, Metrics>;
  /** The network saved was trained again on this many rows, for this many epochs. */
  refit?: { rows: number; epochs: number };
  /** A cross-validation run: fold `index` (from 0) of `count` was scored in the test rows' place. */
  fold?: { count: number; index: number };
  seconds: number;
}

/**
 * Prints what \`dendrite train\` did: the data, network and training, a loss chart and the
 * metrics of each part of the data (with a per-class table and a confusion matrix for classes),
 * or all of it as JSON; warns on stderr when every row is predicted as one class.
 */
export function report(io: Io, done: TrainingDone): void {
  const { options, data, source, features, experiment, output, normalize, schedule } = done;
  const { training, history, metrics, refit, fold, seconds } = done;
  const { network } = experiment;
  const sizes = {
    train: experiment.train.length,
    validation: experiment.validation.length,
    test: experiment.test.length,
  };
  const warn = (text: string) => io.stderr.write(`dendrite: warning: ${text}\n`);
  const only = onlyClassPredicted(metrics.test ?? metrics.train!);
  if (only !== undefined) {
    const hint = normalize ? '' : '--normalize, ';
    warn(`every row is predicted as ${only}; try ${hint}more --epochs or another --learning-rate`);
  }
  const rows = data.inputs.length;
  if (data.task.kind === 'classification' && data.task.classes.length > rows / 2) {
    warn(
      `${data.targetNames.join(', ')} has ${data.task.classes.length} classes in ${rows} rows, so most classes have a row or two: is it an identifier? (--task regression reads numbers as numbers)`,
    );
  }
  if (options.json) {
    const accuracyOf = (m: Metrics | undefined) =>
      m && isClassification(m) ? m.accuracy : undefined;
    io.stdout.write(
      json({
        model: options.output,
        data: {
          source,
          inputs: data.inputNames,
          targets: data.targetNames,
          features,
          task: data.task.kind,
          ...(data.task.kind === 'classification' ? { classes: data.task.classes } : {}),
          ...sizes,
          dropped: data.dropped,
        },
        network: {
          shape: network.shape,
          activations: network.activations,
          init: options.init,
          seed: options.seed,
        },
        training: { ...training, regularizationRate: options.regularizationRate },
        final: {
          trainLoss: history.trainLoss.at(-1),
          validationLoss: history.validationLoss.at(-1),
          testLoss: history.testLoss.at(-1),
          trainAccuracy: accuracyOf(metrics.train),
          testAccuracy: accuracyOf(metrics.test),
          ...(history.bestEpoch === undefined
            ? {}
            : { bestEpoch: history.bestEpoch, stoppedEarly: history.stoppedEarly }),
        },
        metrics,
        history,
        ...(refit === undefined ? {} : { refit }),
        ...(fold === undefined ? {} : { fold: { count: fold.count, number: fold.index + 1 } }),
        seconds,
      }),
    );
    return;
  }
  const color = io.stdout.isTTY === true && !('NO_COLOR' in process.env);
  const kind = data.task.kind === 'classification' ? classList(data.task.classes) : 'regression';
  const held = sizes.validation > 0 ? `, ${sizes.validation} to validate on` : '';
  const ran = history.trainLoss.length;
  const stopped =
    history.bestEpoch === undefined
      ? ''
      : `, early stopping (patience ${options.patience})${history.stoppedEarly ? `; stopped after epoch ${ran}` : ''}, kept epoch ${history.bestEpoch + 1}`;
  const lines = [
    `data      ${source}: ${sizes.train} rows to train on${held}, ${sizes.test} ${fold === undefined ? 'to test on' : `in fold ${fold.index + 1} of ${fold.count} to score (the test rows left out)`}${data.dropped > 0 ? ` (dropped ${data.dropped} ${options.missing === 'mean' ? 'without a target' : 'with missing values'})` : ''}${options.missing === 'mean' ? '; missing inputs take their training means' : ''}`,
    `          ${data.inputNames.join(', ')}${features ? ` → features ${features.join(', ')}` : ''} → ${data.targetNames.join(', ')} (${kind})`,
    `network   ${network.shape.join('-')}: ${network.activations.join(', ')}; ${options.init} init, seed ${options.seed}${normalize ? ', normalised inputs' : ''}`,
    `training  ${output.loss} loss, ${options.optimizer}, learning rate ${options.learningRate}${schedule.kind === 'constant' ? '' : ` (${schedule.kind} schedule)`}, batch size ${options.batchSize}, ${history.bestEpoch === undefined ? '' : 'at most '}${options.epochs} epochs${stopped}`,
    '',
    lossChart(
      history.testLoss.length > 0 ? [history.trainLoss, history.testLoss] : [history.trainLoss],
      color,
    ),
    `          loss per epoch: train${history.testLoss.length > 0 ? (color ? ', test (blue)' : ' and test') : ''}`,
    '',
  ];
  for (const [part, label] of [
    ['train', 'train'],
    ['validation', 'valid'],
    ['test', fold === undefined ? 'test' : `fold ${fold.index + 1}/${fold.count}`],
  ] as const) {
    const m = metrics[part];
    if (m !== undefined) lines.push(`${label.padEnd(6)} ${metricsLine(m, output.loss)}`);
  }
  if (experiment.preprocessing.targets !== undefined) {
    lines.push(
      `       (the loss is of the scaled targets; the errors and R² are in ${data.targetNames.join(', ')}'s units)`,
    );
  }
  const shown = metrics.test ?? metrics.train!;
  if (isClassification(shown)) {
    lines.push(
      '',
      `${metrics.test ? (fold ? 'fold' : 'test') : 'training'} rows by class:`,
      ...classTables(shown),
    );
  }
  lines.push('');
  if (refit !== undefined) {
    lines.push(
      refit.rows < rows
        ? `refit     trained again on all ${refit.rows} training rows for ${refit.epochs} epochs once the validation rows had scored it; the test scores are its own (--no-refit keeps the first)`
        : `refit     trained again on all ${refit.rows} rows for ${refit.epochs} epochs once the held-out rows had scored it (--no-refit keeps that one)`,
    );
  }
  lines.push(`saved ${options.output} (${seconds.toFixed(1)} s)`);
  io.stdout.write(`${lines.join('\n')}\n`);
}

/** The classes as the report lists them: all of a few, the first and last of many. */
function classList(classes: readonly string[]): string {
  const shown = classes.length <= 12 ? classes : [...classes.slice(0, 10), '…', classes.at(-1)!];
  return `${classes.length} classes: ${shown.join(', ')}`;
}
