/**
 * Permissions by operation: the user ticks what a connection will do (read mail, send as a shared
 * mailbox, …) and gets the least-privileged delegated or application permissions for it, each with the
 * operations it is requested for. The data is ./graphPermissions.ts (Microsoft Graph's permissions
 * reference); this module only derives.
 *
 * Webview-safe (bundled into the form): no Node import.
 */
import {
  OPERATION_IDS,
  OPERATION_PERMISSIONS,
  type OperationId,
  type PermissionChoice,
  type PermissionName,
} from './graphPermissions';

export { OPERATION_IDS, type OperationId, type PermissionName } from './graphPermissions';

/** Delegated: a user signs in (`scp`); application: the app itself (`roles`, requested as `/.default`). */
export type PermissionKind = 'delegated' | 'application';

export function isOperationId(value: unknown): value is OperationId {
  return typeof value === 'string' && (OPERATION_IDS as readonly string[]).includes(value);
}

/** Known operation ids in a list (the draft's space-separated text, or a stored array), in table order, once each. */
export function parseOperations(value: string | readonly unknown[] | undefined): OperationId[] {
  const items = typeof value === 'string' ? value.split(/[\s,]+/) : (value ?? []);
  return OPERATION_IDS.filter((id) => items.includes(id));
}

/** The draft's text for a list of operations, with `id` ticked or not. */
export function withOperation(text: string, id: OperationId, ticked: boolean): string {
  const current = parseOperations(text);
  return parseOperations(ticked ? [...current, id] : current.filter((o) => o !== id)).join(' ');
}

function choiceOf(operation: OperationId, kind: PermissionKind): PermissionChoice {
  return OPERATION_PERMISSIONS[operation][kind];
}

/** The permissions that let `operation` work: its least privileged and the higher privileged ones. */
export function permissionsThatAllow(operation: OperationId, kind: PermissionKind): PermissionName[] {
  const { least, higher } = choiceOf(operation, kind);
  return [least, ...higher];
}

/** True when one of `granted` (short names, any case) lets the operation work. */
export function allows(granted: readonly string[], operation: OperationId, kind: PermissionKind): boolean {
  const have = new Set(granted.map((g) => g.toLowerCase()));
  return permissionsThatAllow(operation, kind).some((p) => have.has(p.toLowerCase()));
}

export interface DerivedPermission {
  permission: PermissionName;
  /** The ticked operations it is requested for. */
  operations: OperationId[];
}

/**
 * The fewest, least-privileged permissions for the operations: each operation's least privileged one,
 * except where another one needed anyway already allows it (read and change mail: Mail.ReadWrite alone,
 * not Mail.Read and Mail.ReadWrite). In the operations' order.
 */
export function derivePermissions(operations: readonly OperationId[], kind: PermissionKind): DerivedPermission[] {
  const ops = parseOperations(operations);
  const chosen: PermissionName[] = [];
  for (const op of ops) {
    const least = choiceOf(op, kind).least;
    if (!chosen.includes(least)) chosen.push(least);
  }
  // Drop a permission when every operation it was chosen for is allowed by another chosen one.
  for (const permission of [...chosen]) {
    const others = chosen.filter((p) => p !== permission);
    const needed = ops.some((op) => choiceOf(op, kind).least === permission && !allows(others, op, kind));
    if (!needed) chosen.splice(chosen.indexOf(permission), 1);
  }
  return chosen.map((permission) => ({
    permission,
    operations: ops.filter((op) => permissionsThatAllow(op, kind).includes(permission)),
  }));
}
