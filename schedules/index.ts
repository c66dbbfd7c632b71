// Schedules: 6-field cron (seconds first, as Windmill and croner read it) in Asia/Seoul.
// The local engine (`pvpipe start`) and the generated Windmill schedules use these values.
export interface ScheduleDef {
  id: string;
  flow: string;
  cron: string;
  timezone: "Asia/Seoul";
  args: Record<string, unknown>;
  summary: string;
}

export const SCHEDULES: ScheduleDef[] = [
  { id: "daily_nambu", flow: "daily_nambu", cron: "0 30 9 * * *", timezone: "Asia/Seoul", args: { slack: true }, summary: "KOSPO D-1 at 09:30 KST" },
  { id: "daily_weather", flow: "daily_weather", cron: "0 0 9 * * *", timezone: "Asia/Seoul", args: { slack: true }, summary: "KMA ASOS D-1 (every station) at 09:00 KST" },
  { id: "monthly_namdong", flow: "monthly_namdong", cron: "0 0 10 10 * *", timezone: "Asia/Seoul", args: { slack: true }, summary: "KOEN previous month on the 10th at 10:00 KST" },
];
