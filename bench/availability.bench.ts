/**
 * The availability engine alone (issue 14, item 4): the pure slot
 * computation for 1, 10 and 50 people over 60 days, with busy times at the
 * density of the sandbox's seeded calendars (measured here from the seed),
 * and how its time grows when the input doubles (more people, or a longer
 * range): sorting and one sweep should grow about as n log n, a factor a
 * little over 2. Cases alternate round by round so machine noise hits all alike.
 */
import {
  computeAvailability,
  type PersonSchedule,
  type SlotQuestion,
} from "../packages/server/src/availability/slots.ts";
import { busyTimesFor, people as seedPeople } from "../packages/server/src/sandbox/seed.ts";
import { median, reportSection } from "./support/report.ts";

const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
const day = 86_400_000;
const tokyo = 9 * 3_600_000;
// A Monday, 00:00 in Tokyo.
const start = Date.parse("2027-01-04T00:00:00+09:00");

/** The seed's density: meetings a weekday and the share of 09:00–18:00 they fill, over 60 days, for the ten seeded
 * people. */
function seedDensity() {
  let meetings = 0;
  let busyMs = 0;
  let weekdays = 0;
  for (let offset = 0; offset < 60; offset++) {
    const weekday = new Date(start + offset * day + tokyo).getUTCDay();
    if (weekday !== 0 && weekday !== 6) weekdays++;
  }
  for (const person of seedPeople) {
    for (const busy of busyTimesFor(person.email, new Date(start), 60)) {
      meetings++;
      busyMs += busy.end.getTime() - busy.start.getTime();
    }
  }
  const personDays = weekdays * seedPeople.length;
  return { perWeekday: meetings / personDays, share: busyMs / (personDays * 9 * 3_600_000) };
}

function schedules(count: number, days: number): PersonSchedule[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `person-${index}`,
    timeZone: "Asia/Tokyo",
    workingHours: { days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "18:00" },
    // The seed's generator, for more people than the seed has: the same density, other calendars.
    busy: busyTimesFor(`bench-${index}@sakura-recruit.example`, new Date(start), days).map((busy) => ({
      start: busy.start.getTime(),
      end: busy.end.getTime(),
    })),
    confirmed: true,
  }));
}

const question = (days: number): SlotQuestion => ({
  start,
  end: start + days * day,
  durationMinutes: 60,
  stepMinutes: 30,
  bufferBeforeMinutes: 10,
  bufferAfterMinutes: 10,
  timeZone: "Asia/Tokyo",
});

const cases = [
  { name: "50 people × 60 days", people: 50, days: 60 },
  { name: "1 person × 60 days", people: 1, days: 60 },
  { name: "10 people × 60 days", people: 10, days: 60 },
  { name: "25 people × 60 days", people: 25, days: 60 },
  { name: "5 people × 60 days", people: 5, days: 60 },
  { name: "50 people × 30 days", people: 50, days: 30 },
].map((entry) => ({ ...entry, input: schedules(entry.people, entry.days), question: question(entry.days) }));

/** Milliseconds per run, over enough runs to last about 50 ms. */
function measure(entry: (typeof cases)[number]): { ms: number; slots: number } {
  let runs = 0;
  let slots = 0;
  const began = performance.now();
  do {
    slots = computeAvailability(entry.question, entry.input).slots.length;
    runs++;
  } while (performance.now() - began < 50);
  return { ms: (performance.now() - began) / runs, slots };
}

// The very first run pays for reading the zone's offsets from Intl; later runs find them remembered.
const coldStarted = performance.now();
computeAvailability(cases[0]!.question, cases[0]!.input);
const coldMs = performance.now() - coldStarted;

const samples = new Map(cases.map(({ name }) => [name, [] as number[]]));
const slotCounts = new Map<string, number>();
for (const entry of cases) measure(entry); // warm up
for (let round = 0; round < rounds; round++) {
  for (const entry of cases) {
    const { ms, slots } = measure(entry);
    samples.get(entry.name)!.push(ms);
    slotCounts.set(entry.name, slots);
  }
}

const ms = (name: string) => median(samples.get(name)!);
const intervals = (name: string) =>
  cases.find((entry) => entry.name === name)!.input.reduce((sum, person) => sum + person.busy.length, 0);
const density = seedDensity();
const growth = (small: string, large: string, what: string) => {
  const [n, m] = [intervals(small), intervals(large)];
  const nLogN = (m * Math.log2(m)) / (n * Math.log2(n));
  return (
    `| ${what} | ${n} → ${m} | ${ms(small).toFixed(2)} → ${ms(large).toFixed(2)} | ` +
    `${(ms(large) / ms(small)).toFixed(2)}× | ${nLogN.toFixed(2)}× |`
  );
};

reportSection(
  "3-availability",
  [
    "## Availability engine (the pure slot computation)",
    "",
    `Busy density from the sandbox seed: ${density.perWeekday.toFixed(2)} meetings a weekday per person, filling ` +
      `${(density.share * 100).toFixed(0)} % of 09:00–18:00.`,
    `Question: 60-minute slots on a 30-minute step, 10-minute buffers, Monday–Friday 09:00–18:00 Tokyo. Median of ` +
      `${rounds} alternating rounds (bench/availability.bench.ts).`,
    "",
    "| case | busy intervals | slots | ms per run |",
    "| --- | ---: | ---: | ---: |",
    ...["1 person × 60 days", "10 people × 60 days", "50 people × 60 days"].map(
      (name) => `| ${name} | ${intervals(name)} | ${slotCounts.get(name)} | ${ms(name).toFixed(2)} |`,
    ),
    "",
    `First run in a fresh process (50 people × 60 days, the zone's offsets read from Intl): ${coldMs.toFixed(1)} ms.`,
    "",
    "| input doubled | busy intervals | ms per run | growth | n log n predicts |",
    "| --- | ---: | ---: | ---: | ---: |",
    growth("5 people × 60 days", "10 people × 60 days", "people 5 → 10"),
    growth("25 people × 60 days", "50 people × 60 days", "people 25 → 50"),
    growth("50 people × 30 days", "50 people × 60 days", "days 30 → 60 (50 people)"),
    "",
  ].join("\n"),
);
