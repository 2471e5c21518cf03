/** The period a report covers: tickets opened in [from, to), judged as of `now`. */
export type ReportWindow = {
  from: Date;
  to: Date;
  /** The moment open tickets and complaints are judged at (overdue or not). */
  now: Date;
  /** The office's IANA zone: hours of the day and weekdays are read on its clocks. */
  timezone: string;
};

export type CountByKey<K> = { key: K; count: number };

/**
 * The raw figures of a summary report, straight from the database. Core's buildSummaryReport names
 * them, fills in the zeros and adds the shares.
 */
export type ReportFigures = {
  /** Tickets opened in the window. */
  ticketsByChannel: CountByKey<string>[];
  ticketsByService: CountByKey<string>[];
  /** By the ticket's banner code; null for tickets no banner brought. */
  ticketsBySource: CountByKey<string | null>[];
  /**
   * Of the tickets opened in the window: first response before the deadline (`met`), at or after it
   * (`breached`), and not yet answered with the deadline ahead (`openWithin`) or passed
   * (`openBreached`) at `now`. The same boundaries as slaStateAt and the SLA sweep.
   */
  sla: { met: number; breached: number; openWithin: number; openBreached: number };
  /** Seconds from a ticket's creation to its first response, over the answered tickets in the window. */
  firstResponse: { answered: number; medianSeconds: number | null; p90Seconds: number | null };
  /**
   * Complaints opened in the window; resolved or rejected in the window (whenever opened); and those
   * opened in the window that are still open with their current stage past due at `now`.
   */
  complaints: { opened: number; resolved: number; rejected: number; overdue: number };
  /** Tickets opened in the window by the office's local weekday (1 = Monday) and hour; zero cells left out. */
  ticketsByLocalTime: { weekday: number; hour: number; count: number }[];
};

/** Reports for supervisors, computed in the database. */
export interface ReportQueries {
  summaryFigures(window: ReportWindow): Promise<ReportFigures>;
}
