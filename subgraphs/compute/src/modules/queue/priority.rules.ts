/** Rules for changing a queued trial's priority class (pure). */
export const PRIORITY_CLASSES = ['critical', 'standard', 'preemptible'] as const;

export interface PriorityRequest {
  priority: string;
  reason: string;
}

/**
 * Why a priority change cannot be made, as [field, message], or null: the class must be one
 * the tenant's quota allows, and the reason must say why (1-1000 characters).
 */
export function priorityChangeError(req: PriorityRequest, tenant: string, quota: { version: number; priorityClasses: string[] } | undefined): [string, string] | null {
  if (!(PRIORITY_CLASSES as readonly string[]).includes(req.priority)) {
    return ['priority', `must be one of ${PRIORITY_CLASSES.join(', ')}, got "${req.priority}"`];
  }
  const reason = req.reason.trim();
  if (reason.length === 0 || reason.length > 1000) return ['reason', `must say why in 1-1000 characters, got ${reason.length}`];
  if (!quota) return ['priority', `tenant ${tenant} has no quota yet: no priority class is allowed`];
  if (!quota.priorityClasses.includes(req.priority)) {
    return ['priority', `${req.priority} is not allowed for tenant ${tenant} (quota v${quota.version} allows ${quota.priorityClasses.join(', ')})`];
  }
  return null;
}
