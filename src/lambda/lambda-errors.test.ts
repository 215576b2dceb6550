import { expect, it } from 'vitest';
import { catalogueProblems } from '../kit/error-catalogue.js';
import { loadModel } from '../kit/models/models.js';
import { LambdaErrors } from './lambda-errors.js';

it('LambdaErrors raise the model’s error shapes with its statuses; off-model codes say why', () => {
  expect(catalogueProblems(loadModel('lambda'), LambdaErrors)).toEqual([]);
});
