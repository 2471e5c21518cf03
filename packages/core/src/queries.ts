import type { CannedResponse } from './canned/canned-text.ts';
import type { ChannelConfig } from './channel/channel-config.ts';
import type { ChannelName, ChannelState } from './channel/types.ts';
import type { ComplaintStatus, ComplaintWithTicket } from './complaints/complaint-stages.ts';
import type { OfficePolicy } from './policy/office-policy.ts';
import type { TicketChange } from './ports.ts';
import type { SlaState } from './sla/sla-state.ts';
import type { Message, TicketRecord, TicketStatus } from './tickets/types.ts';
import type { User, UserRole } from './users/types.ts';

export type TicketFilter = {
  status?: TicketStatus;
  channel?: ChannelName;
  service?: string;
  /** A user id, or `none` for unassigned tickets. */
  assignee?: string;
  /** Ticket number, contact name, phone, handle or user id on the channel, or message text. */
  q?: string;
  /** The SLA state at `now`, by the rules of `slaStateAt`. */
  slaState?: SlaState;
  /** Only open or pending tickets still without a first response after their due time. */
  overdue?: boolean;
  limit: number;
  cursor?: string;
};

export interface TicketQueries {
  /** `now` is the time `slaState` and `overdue` are judged at. */
  listTickets(
    filter: TicketFilter,
    now?: Date,
  ): Promise<{ items: TicketRecord[]; nextCursor: string | null }>;
  getTicket(id: string): Promise<TicketRecord | null>;
  listMessages(ticketId: string): Promise<Message[]>;
  updateTicket(id: string, change: TicketChange): Promise<TicketRecord | null>;
}

export interface UserStore {
  findByTokenHash(tokenHash: string): Promise<User | null>;
  findById(id: string): Promise<User | null>;
  create(user: { name: string; email: string; role: UserRole; tokenHash: string }): Promise<User>;
  countAdmins(): Promise<number>;
  /** Staff, by name. */
  list(filter: { active?: boolean; role?: UserRole }): Promise<User[]>;
  /**
   * Applies the change unless it would leave the office without an active admin; the check and the
   * change are one step, so two admins disabling each other at once cannot both succeed.
   */
  update(id: string, change: UserChange): Promise<UserUpdateResult>;
  /** Puts a new token's hash in place of the old one, which stops working at once. Null: no such user. */
  replaceToken(id: string, tokenHash: string): Promise<User | null>;
}

export type UserChange = {
  name?: string;
  role?: UserRole;
  active?: boolean;
  autoAssign?: boolean;
  services?: string[];
};

export type UserUpdateResult =
  | { outcome: 'updated'; user: User; before: User }
  | { outcome: 'not_found' }
  | { outcome: 'last_admin' };

export type CannedResponseInput = { shortcut: string; title: string; body: string };

export type CannedResponseSaveResult =
  | { outcome: 'saved'; cannedResponse: CannedResponse }
  | { outcome: 'not_found' }
  | { outcome: 'shortcut_taken' };

/** Officers' reusable reply texts. */
export interface CannedResponseStore {
  /** By shortcut; `q` matches shortcut, title or body, ignoring case. */
  list(filter: { q?: string }): Promise<CannedResponse[]>;
  get(id: string): Promise<CannedResponse | null>;
  create(input: CannedResponseInput & { createdById: string | null }): Promise<CannedResponseSaveResult>;
  update(id: string, change: Partial<CannedResponseInput>): Promise<CannedResponseSaveResult>;
  /** False when there was no such canned response. */
  delete(id: string): Promise<boolean>;
}

export type ChannelSetting = {
  channel: ChannelName;
  enabled: boolean;
  status: ChannelState;
  detail: string | null;
  /** The runtime settings an admin saved (empty: the environment's). */
  config: ChannelConfig;
  /** Since when the current status holds. */
  statusSince: Date | null;
  /** The last problem the channel reported (kept after it recovers, for the admin). */
  lastError: string | null;
};

export interface ChannelSettingsStore {
  list(): Promise<ChannelSetting[]>;
  setConfig(channel: ChannelName, config: ChannelConfig): Promise<ChannelSetting>;
  /** Per channel: messages in and out since `since`, and replies waiting now. */
  activity(since: Date): Promise<Record<ChannelName, ChannelActivity>>;
  setEnabled(channel: ChannelName, enabled: boolean): Promise<ChannelSetting>;
  setStatus(channel: ChannelName, status: ChannelState, detail: string | null): Promise<void>;
}

export interface SettingsStore {
  getPolicy(): Promise<OfficePolicy>;
  savePolicy(policy: OfficePolicy): Promise<OfficePolicy>;
}

export type AuditEntry = {
  id: string;
  actorId: string | null;
  action: string;
  target: string;
  at: Date;
  meta: Record<string, unknown> | null;
};

export type AuditFilter = {
  actorId?: string;
  /** An action (`ticket.reply`), or a prefix ending in a dot (`ticket.`). */
  action?: string;
  /** `ticket:<id>`, `contact:<id>`, `user:<id>`… */
  target?: string;
  /** From this time on (inclusive). */
  from?: Date;
  /** Before this time (exclusive). */
  to?: Date;
  limit: number;
  cursor?: string;
};

export interface AuditLog {
  /** `meta` holds ids, counts and states, never personal data (message text, NIK, names, tokens). */
  record(entry: {
    actorId: string | null;
    action: string;
    target: string;
    meta?: Record<string, unknown>;
  }): Promise<void>;
  /** Newest first. */
  list(filter: AuditFilter): Promise<{ items: AuditEntry[]; nextCursor: string | null }>;
}

/** What a channel did in a recent period (the admin's "last hour"), and what waits now. */
export type ChannelActivity = { inbound: number; sent: number; failed: number; queued: number };

export type ChannelView = ChannelSetting & {
  configured: boolean;
  /** When the channel last became `connected`, while it still is. */
  connectedSince: Date | null;
  lastHour: ChannelActivity;
  /** The gateway that runs it now (its lease), when gateways run apart from the API. */
  runningOn: string | null;
};

/**
 * Runtime control of the channels, implemented by the gateway's supervisor: enabling one starts its
 * adapter, disabling stops it, without a restart.
 */
export interface ChannelControl {
  list(): Promise<ChannelView[]>;
  setEnabled(channel: ChannelName, enabled: boolean): Promise<ChannelView>;
  /** Saves a channel's runtime settings; a running channel restarts with them. */
  configure(channel: ChannelName, config: ChannelConfig): Promise<ChannelView>;
  isEnabled(channel: ChannelName): Promise<boolean>;
}

export type ComplaintFilter = {
  status?: ComplaintStatus;
  /** Only complaints whose current stage is past its due time. */
  overdue?: boolean;
  channel?: ChannelName;
  limit: number;
  cursor?: string;
};

export interface ComplaintQueries {
  listComplaints(
    filter: ComplaintFilter,
    now: Date,
  ): Promise<{ items: ComplaintWithTicket[]; nextCursor: string | null }>;
  getComplaint(id: string): Promise<ComplaintWithTicket | null>;
}
