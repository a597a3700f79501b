//! Deterministic, realistic sample data: tickets, survey responses tied to tickets,
//! and subscriptions. The same seed writes the same bytes on any machine and any
//! number of threads: rows are generated in fixed-size chunks, each from its own
//! generator seeded by (seed, chunk number), and written in chunk order.
//!
//! Shapes: first response and resolution times are log-normal with long tails and a
//! median that depends on the channel; about 5% of tickets never get a response and
//! about 10% stay open; reopens and agent replies vary; surveys answer a share of
//! resolved tickets (CSAT 1–5, CES 1–7, NPS 0–10); subscriptions churn at a few
//! percent a month, some customers come back, and MRR depends on plan and seats.
//! Service and churn are linked: seven in eight slow first responses (over twice the
//! channel's median) go to the poorly served customers (every fourth), who churn five
//! times as fast.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, LogNormal};
use rand_pcg::Pcg64Mcg;

use crate::error::{CxmError, Result};

const CHUNK: u64 = 50_000;
/// 2025-01-01T00:00:00Z: tickets are created over the year 2025.
const YEAR_START: i64 = 1_735_689_600;
const YEAR_SECS: i64 = 365 * 86_400;

const TEAMS: &[(&str, &[&str])] = &[
    (
        "billing",
        &["Ana Silva", "Ben Okafor", "Chloe Martin", "Dev Patel"],
    ),
    ("onboarding", &["Eva Novak", "Farid Haddad", "Grace Liu"]),
    (
        "support-l1",
        &[
            "Hugo Rossi",
            "Ines Costa",
            "Jon Berg",
            "Kira Sato",
            "Liam Walsh",
            "Mia Jensen",
        ],
    ),
    ("support-l2", &["Noah Klein", "Olga Petrova", "Paul Dubois"]),
    (
        "technical",
        &["Quinn Harper", "Rosa Alvarez", "Sam Turner", "Tara Singh"],
    ),
];
/// Channel, share of tickets (per mille), median first response in minutes.
const CHANNELS: &[(&str, u32, f64)] = &[
    ("email", 450, 95.0),
    ("chat", 250, 3.0),
    ("phone", 120, 1.5),
    ("web", 130, 120.0),
    ("social", 50, 45.0),
];
const PRIORITIES: &[(&str, u32)] = &[("low", 250), ("normal", 500), ("high", 200), ("urgent", 50)];

fn rng_for(seed: u64, stream: u64, chunk: u64) -> Pcg64Mcg {
    // SplitMix64 over the three numbers: decorrelated seeds for neighbouring chunks.
    let mut z = seed
        ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ chunk.wrapping_mul(0xD1B5_4A32_D192_ED03);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    Pcg64Mcg::seed_from_u64(z ^ (z >> 31))
}

fn pick<'a, T>(rng: &mut Pcg64Mcg, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
    let total: u32 = items.iter().map(&weight).sum();
    let mut r = rng.random_range(0..total);
    for it in items {
        let w = weight(it);
        if r < w {
            return it;
        }
        r -= w;
    }
    &items[items.len() - 1]
}

/// Days since 1970-01-01 → (year, month, day) (Howard Hinnant's civil_from_days).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn push_2(buf: &mut Vec<u8>, v: u32) {
    buf.push(b'0' + (v / 10) as u8);
    buf.push(b'0' + (v % 10) as u8);
}

fn push_date(buf: &mut Vec<u8>, epoch_s: i64) {
    let (y, m, d) = civil(epoch_s.div_euclid(86_400));
    let y = y as u32;
    push_2(buf, y / 100);
    push_2(buf, y % 100);
    buf.push(b'-');
    push_2(buf, m);
    buf.push(b'-');
    push_2(buf, d);
}

/// `YYYY-MM-DDTHH:MM:SSZ`.
fn push_ts(buf: &mut Vec<u8>, epoch_s: i64) {
    push_date(buf, epoch_s);
    let s = epoch_s.rem_euclid(86_400) as u32;
    buf.push(b'T');
    push_2(buf, s / 3600);
    buf.push(b':');
    push_2(buf, s / 60 % 60);
    buf.push(b':');
    push_2(buf, s % 60);
    buf.push(b'Z');
}

fn push_num(buf: &mut Vec<u8>, v: u64) {
    buf.extend_from_slice(v.to_string().as_bytes());
}

struct Dists {
    resolution_hours: LogNormal<f64>,
    survey_delay_hours: LogNormal<f64>,
}

fn dists() -> Result<Dists> {
    let bad = |e: rand_distr::NormalError| CxmError::Internal(format!("sample distribution: {e}"));
    Ok(Dists {
        resolution_hours: LogNormal::new(5.0f64.ln(), 1.4).map_err(bad)?,
        survey_delay_hours: LogNormal::new(3.0f64.ln(), 1.0).map_err(bad)?,
    })
}

/// One chunk of tickets and the survey responses to them.
fn ticket_chunk(
    seed: u64,
    chunk: u64,
    n_total: u64,
    customers: u64,
    d: &Dists,
) -> (Vec<u8>, Vec<u8>) {
    let mut rng = rng_for(seed, 1, chunk);
    let start = chunk * CHUNK;
    let end = (start + CHUNK).min(n_total);
    let mut t = Vec::with_capacity(((end - start) * 130) as usize);
    let mut s = Vec::with_capacity(((end - start) * 20) as usize);
    for i in start..end {
        // Spread creation over the year, in ticket-id order, with jitter.
        let base = YEAR_START + (i as i128 * YEAR_SECS as i128 / n_total.max(1) as i128) as i64;
        let created = (base + rng.random_range(0..600)).min(YEAR_START + YEAR_SECS - 1);
        let (team, agents) = TEAMS[rng.random_range(0..TEAMS.len())];
        let agent = agents[rng.random_range(0..agents.len())];
        let &(channel, _, median_min) = pick(&mut rng, CHANNELS, |c| c.1);
        let &(priority, _) = pick(&mut rng, PRIORITIES, |p| p.1);
        let mut customer = rng.random_range(1..=customers);
        let frt = LogNormal::new(median_min.ln(), 1.3)
            .map(|ln| (ln.sample(&mut rng) * 60.0) as i64 + 1)
            .unwrap_or(3600);
        // Seven slow tickets in eight go to a poorly served customer (no extra draw:
        // the other columns stay as they were).
        if frt as f64 > SLOW * median_min * 60.0 && i % 8 != 0 {
            customer = poorly_served(customer, customers);
        }
        let responded = rng.random_bool(0.95);
        // Recent tickets are more often still open.
        let age_days = (YEAR_START + YEAR_SECS - created) / 86_400;
        let resolve_p = if age_days < 14 { 0.55 } else { 0.91 };
        let resolved = rng.random_bool(resolve_p);
        let resolution = if responded {
            frt + (d.resolution_hours.sample(&mut rng) * 3600.0) as i64
        } else {
            (d.resolution_hours.sample(&mut rng) * 3600.0) as i64 + 60
        };
        let reopens: u64 = match rng.random_range(0..100) {
            0..=89 => 0,
            90..=97 => 1,
            _ => 2,
        };
        let replies: u64 = if !responded {
            0
        } else {
            match rng.random_range(0..100) {
                0..=47 => 1,
                48..=77 => 2,
                78..=91 => 3,
                _ => 4 + rng.random_range(0..4),
            }
        } + if reopens > 0 { reopens } else { 0 };
        let status = if resolved {
            if rng.random_bool(0.6) {
                "closed"
            } else {
                "solved"
            }
        } else if responded {
            "pending"
        } else {
            "open"
        };
        t.push(b'T');
        t.extend_from_slice(format!("{:08}", i + 1).as_bytes());
        t.push(b',');
        push_ts(&mut t, created);
        t.push(b',');
        if responded {
            push_ts(&mut t, created + frt);
        }
        t.push(b',');
        if resolved {
            push_ts(&mut t, created + resolution);
        }
        for field in [status, agent, team, channel, priority] {
            t.push(b',');
            t.extend_from_slice(field.as_bytes());
        }
        t.extend_from_slice(b",C");
        t.extend_from_slice(format!("{customer:06}").as_bytes());
        t.push(b',');
        push_num(&mut t, replies);
        t.push(b',');
        push_num(&mut t, reopens);
        t.push(b'\n');

        if resolved {
            // Happier customers after fast, one-touch resolutions.
            let good = (if frt < 3600 { 1 } else { 0 }) + (if replies <= 1 { 1 } else { 0 })
                - reopens as i32;
            let submitted =
                created + resolution + (d.survey_delay_hours.sample(&mut rng) * 3600.0) as i64;
            let mut survey = |kind: &str, score: i32, n: u32| {
                s.extend_from_slice(
                    format!("R{:08}-{n},T{:08},C{customer:06},", i + 1, i + 1).as_bytes(),
                );
                push_ts(&mut s, submitted);
                s.extend_from_slice(format!(",{kind},{score}\n").as_bytes());
            };
            if rng.random_bool(0.30) {
                let score = (rng.random_range(2..=5) + good.clamp(-1, 1)).clamp(1, 5);
                survey("csat", score, 1);
            }
            if rng.random_bool(0.15) {
                let score = (rng.random_range(3..=7) + good.clamp(-2, 1)).clamp(1, 7);
                survey("ces", score, 2);
            }
            if rng.random_bool(0.10) {
                let score = (rng.random_range(4..=10) + good.clamp(-3, 1)).clamp(0, 10);
                survey("nps", score, 3);
            }
        }
    }
    (t, s)
}

/// A ticket is slow when its first response takes this many times its channel's
/// median.
const SLOW: f64 = 2.0;
/// Monthly churn hazards: a quarter of the customers (every fourth) are served
/// poorly and churn at 7.5% a month, the others at 1.5% (3% overall).
const HAZARD: f64 = 0.015;
const HAZARD_POORLY_SERVED: f64 = 0.075;

fn is_poorly_served(customer: u64) -> bool {
    customer.is_multiple_of(4)
}

/// A poorly served customer near `customer` (of `1..=customers`).
fn poorly_served(customer: u64, customers: u64) -> u64 {
    let c = customer - customer % 4;
    if c == 0 {
        4.min(customers)
    } else {
        c
    }
}

const PLANS: &[(&str, u32, f64)] = &[
    ("basic", 600, 29.0),
    ("pro", 320, 99.0),
    ("enterprise", 80, 499.0),
];

/// One chunk of subscriptions: each customer has one or two.
fn subscription_chunk(seed: u64, chunk: u64, n_total: u64) -> Vec<u8> {
    let mut rng = rng_for(seed, 2, chunk);
    let start = chunk * CHUNK;
    let end = (start + CHUNK).min(n_total);
    let mut out = Vec::with_capacity(((end - start) * 60) as usize);
    let first_day = YEAR_START / 86_400 - 2 * 365; // 2023-01-02
    let last_day = YEAR_START / 86_400 + 365; // 2026-01-01
    for c in start..end {
        let mut day = rng.random_range(first_day..last_day);
        let &(mut plan, _, mut price) = pick(&mut rng, PLANS, |p| p.1);
        let mut seats = rng.random_range(1..=10u32);
        for _ in 0..2 {
            // A geometric lifetime in months; poorly served customers churn faster.
            let hazard = if is_poorly_served(c + 1) {
                HAZARD_POORLY_SERVED
            } else {
                HAZARD
            };
            let months = (rng.random::<f64>().ln() / (1.0f64 - hazard).ln()).floor() as i64 + 1;
            let end_day = day + months * 30 + rng.random_range(0..30);
            let mrr = price * f64::from(seats);
            out.extend_from_slice(format!("C{:06},{plan},", c + 1).as_bytes());
            push_date(&mut out, day * 86_400);
            out.push(b',');
            let ended = end_day < last_day;
            if ended {
                push_date(&mut out, end_day * 86_400);
            }
            out.extend_from_slice(format!(",{mrr:.2}\n").as_bytes());
            // Some churned customers come back later, sometimes on another plan.
            if !ended || !rng.random_bool(0.2) {
                break;
            }
            day = end_day + rng.random_range(1..180);
            if day >= last_day {
                break;
            }
            (plan, _, price) = *pick(&mut rng, PLANS, |p| p.1);
            seats = rng.random_range(1..=10);
        }
    }
    out
}

/// One chunk of an event log for tickets `E00000001…`: each ticket's conversation
/// and status history (customer, agent, private notes, bots, system status changes,
/// holds, reopens, reassignments), its rows shuffled within the chunk (a log need
/// not be in order). Times strictly increase within a ticket.
fn event_chunk(seed: u64, chunk: u64, n_total: u64) -> Vec<u8> {
    let mut rng = rng_for(seed, 3, chunk);
    let first = chunk * CHUNK;
    let last = (first + CHUNK).min(n_total);
    let mut rows: Vec<Vec<u8>> = Vec::new();
    let gap = |rng: &mut Pcg64Mcg, minutes: u32| 1 + i64::from(rng.random_range(1..=minutes)) * 60;
    for k in first..last {
        let (team, agents) = TEAMS[rng.random_range(0..TEAMS.len())];
        let mut agent = agents[rng.random_range(0..agents.len())];
        let mut at = YEAR_START + rng.random_range(0..YEAR_SECS);
        let mut push =
            |rng: &mut Pcg64Mcg, at: i64, role: &str, public: &str, status: &str, agent: &str| {
                let mut b = Vec::with_capacity(96);
                b.extend_from_slice(format!("E{:08}", k + 1).as_bytes());
                b.push(b',');
                push_ts(&mut b, at);
                let assignee = if rng.random_range(0..10) < 8 {
                    agent
                } else {
                    ""
                };
                b.extend_from_slice(
                    format!(",{role},{public},{status},{assignee},{team}\n").as_bytes(),
                );
                rows.push(b);
            };
        let outbound = rng.random_range(0..10) == 0;
        if outbound {
            push(&mut rng, at, "Agent", "true", "Open", agent);
        } else {
            push(&mut rng, at, "end-user", "", "New", agent);
        }
        let exchanges = rng.random_range(0..5);
        let mut solved = false;
        for x in 0..exchanges {
            if rng.random_range(0..5) == 0 {
                at += gap(&mut rng, 30);
                push(&mut rng, at, "agent", "false", "", agent);
            }
            if rng.random_range(0..10) == 0 {
                at += gap(&mut rng, 5);
                push(&mut rng, at, "bot", "true", "", agent);
            }
            if rng.random_range(0..8) == 0 {
                agent = agents[rng.random_range(0..agents.len())];
            }
            at += gap(&mut rng, 240);
            let status = match rng.random_range(0..4) {
                0 => "Pending",
                1 => "open",
                _ => "",
            };
            push(&mut rng, at, "agent", "true", status, agent);
            if rng.random_range(0..10) == 0 {
                at += gap(&mut rng, 600);
                push(&mut rng, at, "system", "false", "on-hold", agent);
                at += gap(&mut rng, 600);
                push(&mut rng, at, "system", "false", "Open", agent);
            }
            if x + 1 < exchanges || rng.random_range(0..3) == 0 {
                at += gap(&mut rng, 300);
                push(&mut rng, at, "customer", "true", "Open", agent);
                if rng.random_range(0..3) == 0 {
                    at += gap(&mut rng, 20);
                    push(&mut rng, at, "end-user", "true", "", agent);
                }
            }
        }
        if exchanges > 0 && rng.random_range(0..10) < 8 {
            at += gap(&mut rng, 120);
            push(&mut rng, at, "system", "false", "Solved", agent);
            solved = true;
        }
        if solved && rng.random_range(0..10) == 0 {
            at += gap(&mut rng, 2000);
            push(&mut rng, at, "end-user", "true", "open", agent);
            at += gap(&mut rng, 240);
            push(&mut rng, at, "agent", "true", "", agent);
            if rng.random_range(0..2) == 0 {
                at += gap(&mut rng, 60);
                push(&mut rng, at, "system", "false", "solved", agent);
            }
        } else if solved && rng.random_range(0..2) == 0 {
            at += gap(&mut rng, 5000);
            push(&mut rng, at, "system", "false", "closed", agent);
        }
    }
    // Shuffle the chunk's rows (Fisher–Yates).
    for i in (1..rows.len()).rev() {
        let j = rng.random_range(0..=i);
        rows.swap(i, j);
    }
    rows.concat()
}

/// `events.csv` for `dir`: the event log of `tickets` tickets (ids `E…`, not those of
/// tickets.csv), written beside its place.
fn events(dir: &Path, tickets: u64, seed: u64) -> Result<Written> {
    write_chunked(
        dir,
        "events.csv",
        b"ticket_id,at,author_role,public,status,assignee,group\n",
        tickets,
        |c| event_chunk(seed, c, tickets),
    )
}

/// Write `name`: its header, then the chunks `make` gives for `rows` rows, in order.
fn write_chunked(
    dir: &Path,
    name: &str,
    header: &[u8],
    rows: u64,
    make: impl Fn(u64) -> Vec<u8> + Sync,
) -> Result<Written> {
    let mut out = Written::create(dir, name)?;
    let written = (out.file.write_all(header))
        .and_then(|_| in_chunks(rows.div_ceil(CHUNK), make, |b| out.file.write_all(&b)));
    written.map_err(|e| out.failed(e))?;
    Ok(out)
}

/// A file being written beside the one it will replace (through a link, the file
/// linked to), put in its place once whole, with the replaced file's permissions: an
/// interrupted or failing run leaves the folder's files as they were.
struct Written {
    file: BufWriter<tempfile::NamedTempFile>,
    /// The path written (a link's target), and the name shown.
    path: PathBuf,
    shown: PathBuf,
}

impl Written {
    fn create(dir: &Path, name: &str) -> Result<Written> {
        let (shown, path) = place(dir, name)?;
        let folder = path.parent().unwrap_or(dir);
        let tmp = crate::cleanup::temp_file_in(folder, ".cxm-", "", 0o666).map_err(|e| {
            CxmError::Internal(format!(
                "cannot write {}: {e}",
                crate::text::path_shown(&shown)
            ))
        })?;
        Ok(Written {
            file: BufWriter::with_capacity(1 << 20, tmp),
            path,
            shown,
        })
    }

    fn failed(&self, e: std::io::Error) -> CxmError {
        // The temporary file's path, which the error may name, is gone with the run.
        CxmError::Internal(format!(
            "cannot write {}: {}",
            crate::text::path_shown(&self.shown),
            e.kind()
        ))
    }

    /// Flushed, with the replaced file's permissions: ready to be put in place.
    fn finish(self) -> Result<Finished> {
        let file = self.file.into_inner();
        let tmp = match file {
            Ok(tmp) => tmp,
            Err(e) => {
                let e = e.into_error();
                return Err(CxmError::Internal(format!(
                    "cannot write {}: {}",
                    crate::text::path_shown(&self.shown),
                    e.kind()
                )));
            }
        };
        if let Ok(old) = std::fs::metadata(&self.path) {
            (tmp.as_file().set_permissions(old.permissions())).map_err(|e| {
                CxmError::Internal(format!(
                    "cannot write {}: {e}",
                    crate::text::path_shown(&self.shown)
                ))
            })?;
        }
        Ok(Finished {
            tmp,
            path: self.path,
            shown: self.shown,
        })
    }
}

/// Where `name` goes in `dir`, as shown and as written (through a link, the file it
/// names): refused when that is not a regular file (a folder, a device a link points
/// to), which would not be replaced.
fn place(dir: &Path, name: &str) -> Result<(PathBuf, PathBuf)> {
    let shown = dir.join(name);
    let path = std::fs::canonicalize(&shown).unwrap_or_else(|_| shown.clone());
    match std::fs::metadata(&path) {
        Ok(m) if !m.is_file() => Err(CxmError::Usage(format!(
            "--out {}: {} is not a regular file, and is not replaced (remove it, or give another folder)",
            crate::text::path_shown(dir),
            crate::text::path_shown(&shown)
        ))),
        _ => Ok((shown, path)),
    }
}

/// A [`Written`] file whole on disk, beside its place.
struct Finished {
    tmp: tempfile::NamedTempFile,
    path: PathBuf,
    shown: PathBuf,
}

impl Finished {
    fn put_in_place(self) -> Result<()> {
        let shown = self.shown;
        crate::cleanup::persist(self.tmp, &self.path).map_err(|e| {
            CxmError::Internal(format!(
                "cannot write {}: {e}",
                crate::text::path_shown(&shown)
            ))
        })
    }
}

/// Generate `n` chunks with `make`, in parallel, handing each to `sink` in order.
fn in_chunks<T: Send>(
    n_chunks: u64,
    make: impl Fn(u64) -> T + Sync,
    mut sink: impl FnMut(T) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()) as u64;
    let mut next = 0;
    while next < n_chunks {
        let batch: Vec<u64> = (next..(next + threads).min(n_chunks)).collect();
        let make = &make;
        // A chunk that failed is an error, not a chunk left out.
        let results: Vec<T> = std::thread::scope(|s| {
            let handles: Vec<_> = batch.iter().map(|&c| s.spawn(move || make(c))).collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .map_err(|_| std::io::Error::other("a sample worker thread panicked"))
                })
                .collect::<std::io::Result<Vec<T>>>()
        })?;
        for r in results {
            sink(r)?;
        }
        next += batch.len() as u64;
    }
    Ok(())
}

/// Write `tickets.csv`, `surveys.csv` and `subscriptions.csv` into `dir`, and
/// `events.csv` of `events` tickets when asked for: all whole before any is in place.
pub fn write(
    dir: &Path,
    tickets: u64,
    customers: u64,
    events_of: Option<u64>,
    seed: u64,
) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| {
        CxmError::Internal(format!(
            "cannot create {}: {e}",
            crate::text::path_shown(dir)
        ))
    })?;
    let d = dists()?;
    // Every place checked before any work.
    let names = [
        "tickets.csv",
        "surveys.csv",
        "subscriptions.csv",
        "events.csv",
    ];
    for name in &names[..3 + usize::from(events_of.is_some())] {
        place(dir, name)?;
    }
    let mut t = Written::create(dir, "tickets.csv")?;
    let mut s = Written::create(dir, "surveys.csv")?;
    t.file
        .write_all(
            b"ticket_id,created_at,first_response_at,resolved_at,status,agent,team,channel,priority,customer_id,agent_replies,reopens\n",
        )
        .map_err(|e| t.failed(e))?;
    s.file
        .write_all(b"response_id,ticket_id,customer_id,submitted_at,survey,score\n")
        .map_err(|e| s.failed(e))?;
    // Which of the two a failed write was to.
    let mut in_surveys = false;
    let chunks = in_chunks(
        tickets.div_ceil(CHUNK),
        |c| ticket_chunk(seed, c, tickets, customers, &d),
        |(tb, sb)| {
            in_surveys = false;
            t.file.write_all(&tb)?;
            in_surveys = true;
            s.file.write_all(&sb)
        },
    );
    chunks.map_err(|e| match in_surveys {
        true => s.failed(e),
        false => t.failed(e),
    })?;
    let subscriptions = write_chunked(
        dir,
        "subscriptions.csv",
        b"customer_id,plan,start_date,end_date,mrr\n",
        customers,
        |c| subscription_chunk(seed, c, customers),
    )?;
    let events = events_of.map(|n| events(dir, n, seed)).transpose()?;
    // All whole, then in place.
    let finished = [t, s, subscriptions]
        .into_iter()
        .chain(events)
        .map(Written::finish)
        .collect::<Result<Vec<_>>>()?;
    finished.into_iter().try_for_each(Finished::put_in_place)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(YEAR_START / 86_400), (2025, 1, 1));
        assert_eq!(civil(19_782), (2024, 2, 29));
        let mut b = Vec::new();
        push_ts(&mut b, YEAR_START + 3600 * 13 + 61);
        assert_eq!(String::from_utf8(b).unwrap(), "2025-01-01T13:01:01Z");
    }

    #[test]
    fn chunks_are_deterministic() {
        let d = dists().unwrap();
        assert_eq!(
            ticket_chunk(7, 3, 1_000_000, 1000, &d),
            ticket_chunk(7, 3, 1_000_000, 1000, &d)
        );
        assert_ne!(
            ticket_chunk(7, 3, 1_000_000, 1000, &d).0,
            ticket_chunk(8, 3, 1_000_000, 1000, &d).0
        );
    }
}
