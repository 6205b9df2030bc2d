import type { DeliveryOutcome } from './deliver.js';
import type { NotifyEvent } from './message.js';

/** A delivery that was tried: its outcome and the webhook's origin (never the URL: it is the credential). */
export interface DeliveryReport {
  outcome: DeliveryOutcome;
  origin: string;
}

/**
 * The step summary: one line saying whether the `event` notification went out. `delivery` is undefined when no
 * webhook URL is configured (nothing sent, by choice).
 */
export function notifySummary(event: NotifyEvent, delivery: DeliveryReport | undefined): string {
  if (!delivery) return `🔕 Notification \`${event}\` not sent: no webhook URL configured.`;
  if (delivery.outcome.delivered) return `🔔 Notification \`${event}\` delivered to ${delivery.origin}.`;
  return `⚠️ Notification \`${event}\` NOT delivered: ${delivery.outcome.error}`;
}
