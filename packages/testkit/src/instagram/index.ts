// The fake Instagram private API (i.instagram.com) for instagram-private-api tests.
export { FakeInstagram, startFakeInstagram } from './fake-instagram.ts';
export type { SharedMediaKind } from './items.ts';
export type { FakeInstagramUser } from './threads.ts';
export type {
  ChallengeKind,
  FakeInstagramAccount,
  FakeInstagramOptions,
  FakeInstagramRequest,
  InstagramFailure,
  PushedItem,
  PushOptions,
  SentItem,
  ThreadTarget,
} from './types.ts';
