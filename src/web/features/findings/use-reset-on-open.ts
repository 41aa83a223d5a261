// Moved to ui/, where every feature's modals find it; kept here until the modals importing this path move.
export { useResetOnOpen } from '../../ui/use-reset-on-open.ts';
