import type { IgDirectItem, IgId, ItemPosition } from './types.ts';

const DIGITS = /^\d+$/;

/** Instagram's microsecond timestamps and item ids exceed 2^53; they are compared as BigInts. */
function compareDigits(a: string, b: string): number {
  if (DIGITS.test(a) && DIGITS.test(b)) {
    const diff = BigInt(a) - BigInt(b);
    return diff > 0n ? 1 : diff < 0n ? -1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

export function comparePositions(a: ItemPosition, b: ItemPosition): number {
  return compareDigits(a.timestamp, b.timestamp) || compareDigits(a.itemId, b.itemId);
}

export function isAfter(item: ItemPosition, cursor: ItemPosition): boolean {
  return comparePositions(item, cursor) > 0;
}

/** The item's position, or undefined when its id or timestamp is not a whole number. */
export function positionOf(item: Pick<IgDirectItem, 'item_id' | 'timestamp'>): ItemPosition | undefined {
  const timestamp = String(item.timestamp ?? '');
  const itemId = String(item.item_id ?? '');
  if (!DIGITS.test(timestamp) || itemId === '') return undefined;
  return { timestamp, itemId };
}

export function microsToDate(micros: IgId): Date {
  return new Date(Number(BigInt(String(micros)) / 1000n));
}

export function dateToMicros(date: Date): string {
  return String(BigInt(date.getTime()) * 1000n);
}

/** A cursor read back from the session store, or undefined when it is not one. */
export function parsePosition(text: string | undefined): ItemPosition | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const { timestamp, itemId } = value as Record<string, unknown>;
    if (typeof timestamp !== 'string' || !DIGITS.test(timestamp) || typeof itemId !== 'string')
      return undefined;
    return { timestamp, itemId };
  } catch {
    return undefined;
  }
}
