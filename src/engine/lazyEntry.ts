/**
 * What the extension host takes from the token engine, in one file (dist/engine.js) that it `require`s
 * on first use through src/connections/engineModule.ts: MSAL and the flows, the failure classifier,
 * the Graph probe, how createSession acquires. Drawing the tree and registering the provider need none
 * of it (scripts/lazyChunks.mjs).
 */
export { ConnectionTokenClient } from './tokenClient';
export { classifyFailure, FAILURE_RULES, networkFailureOf, noAnswerFailure } from './failures';
export { CertificateCache } from './certificate';
export { ClaimsChallengeAnswerer, responseChallenge } from './claimsChallenge';
export { missingPermissionsOf, probeGraph, runChecklist } from './graphProbe';
export { acquireSession } from './sessionAcquire';
