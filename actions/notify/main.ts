import { runAction } from '../../src/kit/actions-io.js';
import { InputError } from '../../src/kit/errors.js';
import { Inputs } from '../../src/kit/inputs.js';
import { createLogger } from '../../src/kit/log.js';
import { NOTIFY_EVENTS, composeMessage, isNotifyEvent, runUrlFromEnv } from '../../src/notify/message.js';
import { deliverNotification, webhookOrigin } from '../../src/notify/deliver.js';
import { notifySummary } from '../../src/notify/summary.js';
import { registerWebhookSecrets } from '../../src/notify/webhook-secret.js';

// A bad input fails (a workflow bug shows at once); a delivery that fails only warns: the step stays green.
await runAction(async () => {
  const inputs = new Inputs();
  const event = inputs.string('event', { required: true, hint: NOTIFY_EVENTS.join(' | ') });
  if (!isNotifyEvent(event))
    throw new InputError('event', `must be one of ${NOTIFY_EVENTS.join(', ')}, got '${event}'`);
  const webhookUrl = inputs.secret('webhook-url');
  if (webhookUrl) registerWebhookSecrets(webhookUrl);
  const timeoutMs = inputs.duration('timeout', '15s', { min: 100, max: 120_000 });
  const logger = createLogger();
  if (!webhookUrl) {
    logger.info(`notify: no webhook-url configured, ${event} not sent`);
    return { outputs: { delivered: false }, summary: [notifySummary(event, undefined)] };
  }
  const message = composeMessage({
    event,
    repository: process.env.GITHUB_REPOSITORY ?? 'this repository',
    release: inputs.string('release'),
    environment: inputs.string('environment'),
    url: inputs.string('url'),
    details: inputs.string('details'),
    nextStep: inputs.string('next-step'),
    runUrl: inputs.string('run-url') ?? runUrlFromEnv(process.env)
  });
  const outcome = await deliverNotification(webhookUrl, message, { timeoutMs });
  const origin = webhookOrigin(webhookUrl);
  if (outcome.delivered) logger.info(`notify: ${event} delivered to ${origin} (HTTP ${outcome.status})`);
  else logger.warning(`notify: the ${event} notification was not delivered: ${outcome.error}`);
  return { outputs: { delivered: outcome.delivered }, summary: [notifySummary(event, { outcome, origin })] };
});
