import { runAction, setOutputs } from '../../src/kit/actions-io.js';
import { InputError } from '../../src/kit/errors.js';
import { Inputs } from '../../src/kit/inputs.js';
import { createLogger } from '../../src/kit/log.js';
import { Summary } from '../../src/kit/summary.js';
import { NOTIFY_EVENTS, type NotifyEvent, composeMessage, runUrlFromEnv } from '../../src/notify/message.js';
import { deliverNotification, webhookOrigin } from '../../src/notify/deliver.js';
import { registerWebhookSecrets } from '../../src/notify/webhook-secret.js';

// A bad input fails (a workflow bug shows at once); a delivery that fails only warns: the step stays green.
await runAction(async () => {
  const inputs = new Inputs();
  const event = inputs.string('event', { required: true, hint: NOTIFY_EVENTS.join(' | ') });
  if (!(NOTIFY_EVENTS as readonly string[]).includes(event))
    throw new InputError('event', `must be one of ${NOTIFY_EVENTS.join(', ')}, got '${event}'`);
  const webhookUrl = inputs.secret('webhook-url');
  if (webhookUrl) registerWebhookSecrets(webhookUrl);
  const timeoutMs = inputs.duration('timeout', '15s', { min: 100, max: 120_000 });
  const logger = createLogger();
  const summary = new Summary();
  const done = (delivered: boolean, line: string) => {
    setOutputs({ delivered });
    summary.add(line).write();
  };
  if (!webhookUrl) {
    logger.info(`notify: no webhook-url configured, ${event} not sent`);
    return done(false, `🔕 Notification \`${event}\` not sent: no webhook URL configured.`);
  }
  const message = composeMessage({
    event: event as NotifyEvent,
    repository: process.env.GITHUB_REPOSITORY ?? 'this repository',
    release: inputs.string('release'),
    environment: inputs.string('environment'),
    url: inputs.string('url'),
    details: inputs.string('details'),
    nextStep: inputs.string('next-step'),
    runUrl: inputs.string('run-url') ?? runUrlFromEnv(process.env)
  });
  let outcome;
  if (!/^https?:\/\//i.test(webhookUrl)) {
    outcome = { delivered: false as const, attempts: 0, error: "Input 'webhook-url' must be an http(s) URL" };
  } else {
    outcome = await deliverNotification(webhookUrl, message, { timeoutMs });
  }
  if (outcome.delivered) {
    logger.info(`notify: ${event} delivered to ${webhookOrigin(webhookUrl)} (HTTP ${outcome.status})`);
    return done(true, `🔔 Notification \`${event}\` delivered to ${webhookOrigin(webhookUrl)}.`);
  }
  logger.warning(`notify: the ${event} notification was not delivered: ${outcome.error}`);
  done(false, `⚠️ Notification \`${event}\` NOT delivered: ${outcome.error}`);
});
