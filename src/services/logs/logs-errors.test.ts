import { expect, it } from 'vitest';
import { catalogueProblems } from '../../kit/error-catalogue.js';
import { loadModel } from '../../kit/models/models.js';
import { LogsErrorCatalogue } from './logs-errors.js';

it('LogsErrors raise the model’s error shapes with its statuses', () => {
  expect(catalogueProblems(loadModel('logs'), LogsErrorCatalogue)).toEqual([]);
});
