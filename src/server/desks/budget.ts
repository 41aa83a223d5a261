import type { DeskConfig } from '../config.ts';

/**
 * The configuration an adapter call runs under when its caller has already spent part of the budget
 * (docs/rules.md "Support requests": a hand-off again searches, then creates, within one budget).
 */
export function withinBudget(config: DeskConfig, budgetMs: number | undefined): DeskConfig {
  if (budgetMs === undefined || budgetMs >= config.timeoutMs) return config;
  return { ...config, timeoutMs: Math.max(1, Math.floor(budgetMs)) };
}
