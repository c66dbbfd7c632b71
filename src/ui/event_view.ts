// An event of a run's log as the run page shows it: rendered by the server, and by the page's
// script for the events that arrive live (the same fields, so a row looks the same either way).
export interface EventView {
  id: number;
  at: string;
  level: string;
  kind: string;
  step: string;
  message: string;
}
