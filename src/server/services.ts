/**
 * SERVICES: the one table of services the server runs, in the order they are built (a service
 * may `use` what an earlier one exports) and their raw routes are tried. Adding a service is a
 * folder under src/services/ and one line here (CONTRIBUTING.md, "How to add an AWS service").
 */
import type { AnyServicePlugin } from '../kit/plugin.js';
import { lambdaPlugin } from '../lambda/lambda-plugin.js';
import { cloudWatchPlugin } from '../services/cloudwatch/cloudwatch-plugin.js';
import { logsPlugin } from '../services/logs/logs-plugin.js';

export const SERVICES: readonly AnyServicePlugin[] = [logsPlugin, cloudWatchPlugin, lambdaPlugin];
