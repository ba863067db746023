// The model file's schema, in a module of its own: zod takes longer to import than a small
// training run, so in Node it is loaded the first time a model file is read (see `#model-schema`).
import { z } from 'zod';
import { layerActivations, type LayerActivation } from './activations.js';
import { features, type Feature } from './data.js';
import { lossNames, type Loss } from './losses.js';

// Finite numbers only (zod 4 rejects NaN and ±Infinity, and JSON's 1e400 parses to Infinity).
const numbers = z.array(z.number());
const normalization = z.strictObject({
  mean: numbers,
  scale: z.array(z.number().refine((s) => s !== 0, 'a scale of 0')),
});
// Metrics may be NaN (an AUC without both classes), which JSON writes as null.
const metrics = z.record(z.string(), z.json());
/** The model file's fields, checked by zod. */
export const modelFile = z.strictObject({
  format: z.literal('dendrite-model'),
  version: z.union([z.literal(1), z.literal(2)]),
  shape: z.array(z.int().min(1)).min(2),
  layers: z.array(
    z.strictObject({
      activation: z.enum(layerActivations as [LayerActivation, ...LayerActivation[]]),
      weights: z.array(numbers),
      biases: numbers,
    }),
  ),
  biasFirst: z.boolean().optional(),
  inputs: z.array(z.string()).optional(),
  /** Version 1's one target name. */
  target: z.string().optional(),
  targets: z.array(z.string()).min(1).optional(),
  task: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('classification'), classes: z.array(z.string()).min(2) }),
      z.strictObject({ kind: z.literal('regression') }),
    ])
    .optional(),
  loss: z.enum(lossNames as [Loss, ...Loss[]]).optional(),
  training: z.record(z.string(), z.json()).optional(),
  metrics: z
    .strictObject({
      train: metrics.optional(),
      validation: metrics.optional(),
      test: metrics.optional(),
    })
    .optional(),
  split: z
    .strictObject({
      seed: z.string(),
      rows: z.int().min(1),
      fingerprint: z.string().optional(),
      file: z.string().min(1).optional(),
      shuffle: z.boolean(),
      testFraction: z.number().min(0).max(1),
      validationFraction: z.number().min(0).max(1),
      stratified: z.boolean().optional(),
      refit: z.boolean().optional(),
      keepsTest: z.boolean().optional(),
      fold: z.strictObject({ count: z.int().min(2), index: z.int().min(0) }).optional(),
    })
    .optional(),
  preprocessing: z
    .strictObject({
      categories: z
        .array(
          z
            .array(z.string())
            .min(1)
            .refine((c) => new Set(c).size === c.length, 'a category twice')
            .nullable(),
        )
        .optional(),
      imputation: numbers.optional(),
      features: z.array(z.enum(Object.keys(features) as [Feature, ...Feature[]])).optional(),
      normalization: normalization.optional(),
      targets: normalization.optional(),
    })
    .optional(),
});
