// Loket's own answers to a citizen's message, decided inside receiveMessage's transaction: the
// acknowledgement or the out-of-hours notice, the service menu, a menu choice, requirements, the
// in-person-only answer (e-KTP recording), and ADUAN. An officer still answers every ticket.

import type { BusinessCalendar } from '../calendar/business-calendar.ts';
import { describeOpening } from '../calendar/describe-opening.ts';
import { classifyMenuChoice, classifyService } from '../classification/classify-service.ts';
import { detectIntent, extractTicketNumber } from '../classification/detect-intent.ts';
import { complaintContextFor } from '../complaints/complaint-context.ts';
import { openComplaintInTransaction } from '../complaints/open-complaint.ts';
import type { OfficePolicy } from '../policy/office-policy.ts';
import type { InboxTransaction, NewMessage } from '../ports.ts';
import { type EffectiveService, findService } from '../services/effective-services.ts';
import { slaStateAt } from '../sla/sla-state.ts';
import { acknowledgementText, renderTemplate } from '../templates/citizen-texts.ts';
import {
  complaintStatusPhrase,
  formatIndonesianDate,
  formatRequirementList,
  formatResponsePromise,
  formatServiceMenu,
  formatTimeLeft,
} from '../templates/text-formatting.ts';
import type { TicketRecord } from './types.ts';

export type AutoReplyInput = {
  tx: InboxTransaction;
  policy: OfficePolicy;
  services: EffectiveService[];
  calendar: BusinessCalendar;
  ticket: TicketRecord;
  ticketCreated: boolean;
  text: string;
  now: Date;
};

/**
 * What Loket answers, decided without the store: the texts (in order) and the ticket changes they
 * imply. `complaint` says the message is ADUAN, whose answer needs the store (see `answerComplaint`);
 * `texts` then holds only what comes before it. The batched path uses this directly.
 */
export type AutoReplyDecision = {
  texts: string[];
  /** Set when the out-of-hours notice is sent: the closed period the citizen is now told about. */
  afterHoursNoticeFor: Date | null;
  /** Set when the message chose or made clear the ticket's service. */
  service: string | null;
  complaint: boolean;
};

export function decideAutoReplies(input: Omit<AutoReplyInput, 'tx'>): AutoReplyDecision {
  const { policy, services, calendar, ticket, ticketCreated, text, now } = input;
  const overrides = policy.templates;
  const office = policy.officeName;
  const decision: AutoReplyDecision = {
    texts: [],
    afterHoursNoticeFor: null,
    service: null,
    complaint: false,
  };
  const replies = decision.texts;

  const nextOpening = calendar.isOpen(now) ? null : calendar.nextOpening(now);
  if (nextOpening && ticket.afterHoursNoticeFor?.getTime() !== nextOpening.getTime()) {
    const jadwal_buka = describeOpening(nextOpening, { timezone: policy.timezone, now });
    replies.push(
      renderTemplate(
        'out_of_hours',
        { nama_kantor: office, nomor_tiket: ticket.number, jadwal_buka },
        overrides,
      ),
    );
    decision.afterHoursNoticeFor = nextOpening;
  } else if (ticketCreated) {
    const promise = formatResponsePromise(policy.sla.firstResponse);
    replies.push(
      acknowledgementText({ officeName: office, ticketNumber: ticket.number, promise }, overrides),
    );
  }

  const offlineAnswer = (service: EffectiveService | null) => {
    if (!service || service.online) return;
    const resumes = service.resumesOn ? formatIndonesianDate(service.resumesOn) : null;
    replies.push(
      renderTemplate(
        'offline_service',
        { nama_layanan: service.name, nama_kantor: office, tanggal_buka_kembali: resumes },
        overrides,
      ),
    );
  };

  const intent = detectIntent(text);
  if (intent === 'complaint') {
    decision.complaint = true;
    return decision;
  }
  if (intent === 'greeting_or_menu') {
    replies.push(
      renderTemplate(
        'service_menu',
        { nama_kantor: office, daftar_layanan: formatServiceMenu(services) },
        overrides,
      ),
    );
    return decision;
  }
  const chosen = classifyMenuChoice(text, services);
  if (chosen) {
    const service = findService(services, chosen);
    decision.service = chosen;
    replies.push(renderTemplate('service_set', { nama_layanan: service?.name ?? chosen }, overrides));
    offlineAnswer(service);
    return decision;
  }

  const detected = classifyService(text, services);
  // A later message can make a vague ticket's service clear; an officer's correction is never undone.
  if (!ticketCreated && detected !== 'LAINNYA' && ticket.service === 'LAINNYA') {
    decision.service = detected;
  }
  const serviceCode = detected !== 'LAINNYA' ? detected : ticket.service;
  if (intent === 'requirements') {
    const service = serviceCode === 'LAINNYA' ? null : findService(services, serviceCode);
    replies.push(
      service
        ? renderTemplate(
            'requirements',
            { nama_layanan: service.name, daftar_persyaratan: formatRequirementList(service.requirements) },
            overrides,
          )
        : renderTemplate(
            'requirements_choose_service',
            { daftar_layanan: formatServiceMenu(services) },
            overrides,
          ),
    );
  }
  if (ticketCreated || (detected !== 'LAINNYA' && detected !== ticket.service))
    offlineAnswer(findService(services, detected));
  return decision;
}

/** The texts to send, in order. Side effects (service set, complaint opened) happen through `tx`. */
export async function citizenAutoReplies(input: AutoReplyInput): Promise<string[]> {
  const { tx, ticket } = input;
  const decision = decideAutoReplies(input);
  if (decision.afterHoursNoticeFor) await tx.markAfterHoursNotice(ticket.id, decision.afterHoursNoticeFor);
  if (decision.service) await tx.setTicketService(ticket.id, decision.service);
  if (decision.complaint) return [...decision.texts, ...(await answerComplaint(input))];
  return decision.texts;
}

/** ADUAN: a complaint when the promise is broken, else how long is left. */
async function answerComplaint({
  tx,
  policy,
  ticket: current,
  text,
  now,
}: AutoReplyInput): Promise<string[]> {
  const overrides = policy.templates;
  const number = extractTicketNumber(text, policy.ticketPrefix);
  const named = number && number !== current.number ? await tx.findTicketByNumber(number) : null;
  if (number && number !== current.number && named?.contactId !== current.contactId) {
    return [
      renderTemplate('complaint_ticket_unknown', { contoh_perintah: `ADUAN ${current.number}` }, overrides),
    ];
  }
  const ticket = named ?? current;
  const context = complaintContextFor(policy, now);
  const existing = await tx.findActiveComplaint(ticket.id);
  if (existing) {
    return [
      renderTemplate(
        'complaint_exists',
        {
          nomor_pengaduan: existing.number,
          nomor_tiket: ticket.number,
          status_pengaduan: complaintStatusPhrase(existing.status),
          batas_waktu: existing.stageDueAt ? context.describeTime(existing.stageDueAt) : null,
        },
        overrides,
      ),
    ];
  }
  if (slaStateAt(ticket, now) === 'breached') {
    // The complaint's own notice is queued by openComplaintInTransaction.
    await openComplaintInTransaction(tx, { ticket, reason: 'citizen_request', now, actorId: null, context });
    return [];
  }
  return [
    renderTemplate(
      'complaint_not_yet_due',
      {
        nomor_tiket: ticket.number,
        batas_waktu: context.describeTime(ticket.firstResponseDueAt),
        sisa_waktu: formatTimeLeft(ticket.firstResponseDueAt.getTime() - now.getTime()),
      },
      overrides,
    ),
  ];
}

/**
 * Loket's answers as queued outbound messages, a millisecond apart after the citizen's message at
 * `receivedAt`, so they list (and are sent) after it, in order.
 */
export function autoReplyMessages(
  ticket: Pick<NewMessage, 'ticketId' | 'channel'>,
  texts: string[],
  receivedAt: Date,
): NewMessage[] {
  return texts.map((text, index) => ({
    ticketId: ticket.ticketId,
    channel: ticket.channel,
    direction: 'outbound',
    text,
    automated: true,
    deliveryStatus: 'queued',
    createdAt: new Date(receivedAt.getTime() + 1 + index),
  }));
}
