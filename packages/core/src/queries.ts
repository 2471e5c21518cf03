import type { ChannelName, ChannelState } from './channel/types.ts';
import type { ComplaintStatus, ComplaintWithTicket } from './complaints/complaint-stages.ts';
import type { OfficePolicy } from './policy/office-policy.ts';
import type { TicketChange } from './ports.ts';
import type { Message, TicketRecord, TicketStatus } from './tickets/types.ts';
import type { User, UserRole } from './users/types.ts';

export type TicketFilter = {
  status?: TicketStatus;
  channel?: ChannelName;
  service?: string;
  /** A user id, or `none` for unassigned tickets. */
  assignee?: string;
  q?: string;
  limit: number;
  cursor?: string;
};

export interface TicketQueries {
  listTickets(filter: TicketFilter): Promise<{ items: TicketRecord[]; nextCursor: string | null }>;
  getTicket(id: string): Promise<TicketRecord | null>;
  listMessages(ticketId: string): Promise<Message[]>;
  updateTicket(id: string, change: TicketChange): Promise<TicketRecord | null>;
}

export interface UserStore {
  findByTokenHash(tokenHash: string): Promise<User | null>;
  findById(id: string): Promise<User | null>;
  create(user: { name: string; email: string; role: UserRole; tokenHash: string }): Promise<User>;
  countAdmins(): Promise<number>;
}

export type ChannelSetting = {
  channel: ChannelName;
  enabled: boolean;
  status: ChannelState;
  detail: string | null;
};

export interface ChannelSettingsStore {
  list(): Promise<ChannelSetting[]>;
  setEnabled(channel: ChannelName, enabled: boolean): Promise<ChannelSetting>;
  setStatus(channel: ChannelName, status: ChannelState, detail: string | null): Promise<void>;
}

export interface SettingsStore {
  getPolicy(): Promise<OfficePolicy>;
  savePolicy(policy: OfficePolicy): Promise<OfficePolicy>;
}

export type AuditEntry = { id: string; actorId: string | null; action: string; target: string; at: Date };

export interface AuditLog {
  record(entry: {
    actorId: string | null;
    action: string;
    target: string;
    meta?: Record<string, unknown>;
  }): Promise<void>;
  list(options: {
    limit: number;
    cursor?: string;
  }): Promise<{ items: AuditEntry[]; nextCursor: string | null }>;
}

export type ChannelView = ChannelSetting & { configured: boolean };

/**
 * Runtime control of the channels, implemented by the gateway's supervisor: enabling one starts its
 * adapter, disabling stops it, without a restart.
 */
export interface ChannelControl {
  list(): Promise<ChannelView[]>;
  setEnabled(channel: ChannelName, enabled: boolean): Promise<ChannelView>;
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
