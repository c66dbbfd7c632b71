// Options several commands take alike: the database to use, and a window of days ending yesterday.
import { Option } from "commander";

export const dbUrlOption = () => new Option("--db-url <url>", "PostgreSQL URL (default: DATABASE_URL, else the embedded database)");
export const startOption = () => new Option("--start <date>", "first day (default: 14 days before --end)");
export const endOption = () => new Option("--end <date>", "last day (default: yesterday KST)");
