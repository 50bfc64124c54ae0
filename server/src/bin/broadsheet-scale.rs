//! `broadsheet-scale`: a newsroom's archive for the scale benchmark (`make bench-scale`,
//! `bench/scale.sh`), made up and deterministic (one seed, the same data).
//!
//! - `articles --count 100000 --out FILE`: articles in the contract's shape, for
//!   `broadsheet-server import` (that import is itself measured): eight sections, tags drawn from
//!   2,000 with a few on thousands of articles, bodies of 8–20 blocks (about 5 KB of text), 60 %
//!   with an image, three years of publication times;
//! - `activity --db PATH --views 10000000 --comments 100000 --hot 20000`: a week of views with a
//!   news-like skew (most reads on a few recent stories, a long tail), written as the server
//!   writes them (hourly counters and totals), and comments, `--hot` of them on the most read
//!   article;
//! - `probe --db PATH`: what the benchmark asks for, as `KEY=VALUE` lines (the most read
//!   articles, the busiest section, tags and authors…); tags and authors percent-encoded, as
//!   they stand in a path.

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use broadsheet_server::store::sqlite::SqliteStore;
use clap::{Parser, Subcommand};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Zipf};
use rusqlite::{OptionalExtension, params};
use serde_json::json;

#[derive(Parser)]
struct Cli {
    /// The seed of every random choice.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Writes articles for `broadsheet-server import`.
    Articles {
        #[arg(long, default_value_t = 100_000)]
        count: usize,
        #[arg(long)]
        out: PathBuf,
    },
    /// Adds a week of views and comments to an imported database.
    Activity {
        #[arg(long)]
        db: PathBuf,
        #[arg(long, default_value_t = 10_000_000)]
        views: u64,
        #[arg(long, default_value_t = 100_000)]
        comments: u64,
        /// Comments on the most read article.
        #[arg(long, default_value_t = 20_000)]
        hot: u64,
    },
    /// Prints what the benchmark asks for.
    Probe {
        #[arg(long)]
        db: PathBuf,
    },
}

const SECTIONS: [(&str, &str); 8] = [
    ("world", "World"),
    ("politics", "Politics"),
    ("business", "Business"),
    ("technology", "Technology"),
    ("science", "Science"),
    ("culture", "Culture"),
    ("sport", "Sport"),
    ("opinion", "Opinion"),
];

const WORDS: &[&str] = &[
    "council",
    "harbour",
    "minister",
    "report",
    "market",
    "school",
    "river",
    "station",
    "budget",
    "election",
    "court",
    "farmers",
    "hospital",
    "museum",
    "league",
    "research",
    "energy",
    "climate",
    "transport",
    "housing",
    "workers",
    "union",
    "festival",
    "bridge",
    "village",
    "trial",
    "policy",
    "growth",
    "prices",
    "water",
    "forest",
    "coast",
    "airport",
    "library",
    "teachers",
    "doctors",
    "engineers",
    "students",
    "season",
    "record",
    "vote",
    "plan",
    "deal",
    "talks",
    "study",
    "data",
    "survey",
    "strike",
    "storm",
    "heat",
    "rail",
    "road",
    "port",
    "city",
    "region",
    "country",
    "government",
    "company",
    "community",
    "families",
    "residents",
    "officials",
    "scientists",
    "players",
    "artists",
    "readers",
    "volunteers",
    "the",
    "a",
    "of",
    "to",
    "in",
    "and",
    "on",
    "for",
    "with",
    "after",
    "before",
    "over",
    "under",
    "new",
    "old",
    "first",
    "last",
    "long",
    "small",
    "large",
    "local",
    "national",
    "public",
    "private",
    "early",
    "late",
    "quiet",
    "busy",
    "open",
    "closed",
    "rising",
    "falling",
    "said",
    "says",
    "will",
    "would",
    "could",
    "plans",
    "agreed",
    "rejected",
    "announced",
    "opened",
    "closed",
    "found",
    "showed",
    "reported",
    "expected",
    "year",
    "week",
    "month",
    "morning",
    "evening",
    "spring",
    "summer",
    "autumn",
    "winter",
    "three",
    "four",
    "five",
    "ten",
    "hundred",
    "thousand",
    "percent",
    "more",
    "less",
    "than",
    "since",
    "while",
    "because",
    "although",
    "which",
    "where",
    "when",
    "its",
    "their",
    "this",
    "that",
    "these",
    "those",
    "many",
    "few",
    "most",
    "some",
    "every",
    "each",
    "again",
    "still",
    "already",
    "now",
];

/// Korean words with their particles attached, as they are written (eojeol).
const KOREAN: &[&str] = &[
    "서울에서",
    "부산의",
    "시민들이",
    "회의를",
    "열었다",
    "항구에",
    "선거는",
    "예산을",
    "학교와",
    "병원이",
    "기후가",
    "주택을",
    "노동자들은",
    "축제에서",
    "다리를",
];

const FIRST: &[&str] = &[
    "Mina", "Theo", "Amina", "Jonas", "Sofia", "Kwame", "Lena", "Ravi", "Ines", "Tomas", "Yuki",
    "Omar", "Clara", "Diego", "Hana", "Pavel", "Nora", "Samuel", "Leila", "Arjun",
];
const LAST: &[&str] = &[
    "Park",
    "Marchetti",
    "Rahal",
    "Berg",
    "Costa",
    "Mensah",
    "Novak",
    "Iyer",
    "Duarte",
    "Kowalski",
    "Tanaka",
    "Haddad",
    "Weiss",
    "Alvarez",
    "Kim",
    "Sokolov",
    "Lund",
    "Okafor",
    "Nasser",
    "Rao",
];

fn words(rng: &mut StdRng, n: usize) -> String {
    (0..n)
        .map(|_| WORDS[rng.random_range(0..WORDS.len())])
        .collect::<Vec<_>>()
        .join(" ")
}

fn sentence(rng: &mut StdRng, min: usize, max: usize) -> String {
    let n = rng.random_range(min..=max);
    let mut s = words(rng, n);
    if let Some(first) = s.get(..1) {
        s.replace_range(..1, &first.to_uppercase());
    }
    s
}

fn article(
    rng: &mut StdRng,
    tags: &Zipf<f64>,
    i: usize,
    count: usize,
    now: i64,
) -> serde_json::Value {
    let (section_slug, section_name) = SECTIONS[rng.random_range(0..SECTIONS.len())];
    // Three years of stories, the newest in the last hours; article i is the i-th newest.
    let age =
        (i as f64 / count as f64 * 3.0 * 365.0 * 86_400.0) as i64 + rng.random_range(0..3_600);
    let published = time::OffsetDateTime::from_unix_timestamp(now - age)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let format = &time::format_description::well_known::Rfc3339;
    let mut body = Vec::new();
    for b in 0..rng.random_range(8..=20) {
        body.push(match (b, rng.random_range(0..12)) {
            (0, _) | (_, 0..=7) => {
                let text = (0..rng.random_range(2..=4))
                    .map(|_| sentence(rng, 10, 22) + ".")
                    .collect::<Vec<_>>()
                    .join(" ");
                json!({"type": "paragraph", "text": text})
            }
            (_, 8) => json!({"type": "heading", "text": sentence(rng, 3, 7)}),
            (_, 9) => json!({"type": "quote", "text": sentence(rng, 8, 16) + ".", "cite": format!("{} {}", FIRST[rng.random_range(0..FIRST.len())], LAST[rng.random_range(0..LAST.len())])}),
            (_, 10) => json!({"type": "list", "ordered": rng.random_bool(0.5), "items": (0..rng.random_range(2..=5)).map(|_| sentence(rng, 3, 9)).collect::<Vec<_>>()}),
            _ => json!({"type": "image", "src": format!("/media/scale/{i}-{b}.jpg"), "alt": sentence(rng, 4, 9), "caption": sentence(rng, 6, 12), "credit": "Broadsheet", "width": 1200, "height": 800}),
        });
    }
    // Some stories in Korean, whose words search finds inside longer ones, and a rare word:
    // chosen by `i`, not by the generator, so the rest of the archive stays as it was.
    if i % 40 == 7 {
        let text = (0..9)
            .map(|k| KOREAN[(i / 40 + k * 7) % KOREAN.len()])
            .collect::<Vec<_>>()
            .join(" ");
        body.push(json!({"type": "paragraph", "text": text + "."}));
    }
    if i % 5_000 == 3 {
        body.push(json!({"type": "paragraph", "text": "The old lighthouse keeper retired."}));
    }
    let mut article_tags: Vec<String> = (0..rng.random_range(3..=6))
        .map(|_| format!("tag-{}", tags.sample(rng) as u64))
        .collect();
    article_tags.sort();
    article_tags.dedup();
    let (first, last) = (
        FIRST[rng.random_range(0..FIRST.len())],
        LAST[rng.random_range(0..LAST.len())],
    );
    json!({
        "slug": format!("story-{i}"),
        "section": {"slug": section_slug, "name": section_name},
        "headline": sentence(rng, 6, 12),
        "standfirst": sentence(rng, 15, 25) + ".",
        "byline": {"name": format!("{first} {last}"), "email": format!("{}.{}@broadsheet.example", first.to_lowercase(), last.to_lowercase())},
        "source": "Broadsheet Wire",
        "published_at": published.format(format).unwrap_or_default(),
        "image": rng.random_bool(0.6).then(|| json!({"src": format!("/media/scale/{i}.jpg"), "alt": sentence(rng, 4, 9), "caption": null, "credit": "Broadsheet", "width": 1600, "height": 900})),
        "body": body,
        "tags": article_tags,
        "editors_pick": i.is_multiple_of(997),
        "views": rng.random_range(0..5_000u32),
    })
}

fn articles(rng: &mut StdRng, count: usize, out: &Path) -> anyhow::Result<()> {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let tags = Zipf::new(2_000.0, 1.1)?;
    let mut file = BufWriter::new(std::fs::File::create(out)?);
    file.write_all(b"[")?;
    for i in 0..count {
        if i > 0 {
            file.write_all(b",\n")?;
        }
        serde_json::to_writer(&mut file, &article(rng, &tags, i, count, now))?;
    }
    file.write_all(b"]\n")?;
    file.flush()?;
    Ok(())
}

fn activity(
    rng: &mut StdRng,
    db: &Path,
    views: u64,
    comments: u64,
    hot: u64,
) -> anyhow::Result<()> {
    let store = SqliteStore::open(db)?.store;
    let mut conn = store.conn()?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let hour_now = now.div_euclid(3_600);
    // Readers read recent stories: the newest 20,000 by publication, their popularity Zipf-skewed
    // in an order of their own.
    let mut recent: Vec<(i64, i64)> = conn
        .prepare("SELECT id, published_at FROM articles ORDER BY published_at DESC LIMIT 20000")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    anyhow::ensure!(!recent.is_empty(), "import the articles first");
    for i in (1..recent.len()).rev() {
        recent.swap(i, rng.random_range(0..=i));
    }
    let zipf = Zipf::new(recent.len() as f64, 1.05)?;
    let mut hours: HashMap<(i64, i64), u32> = HashMap::new();
    for _ in 0..views {
        let (id, published) = recent[zipf.sample(rng) as usize - 1];
        let first = published.div_euclid(3_600).max(hour_now - 167);
        let hour = if first >= hour_now {
            hour_now
        } else {
            rng.random_range(first..=hour_now)
        };
        *hours.entry((id, hour)).or_default() += 1;
    }
    let tx = conn.transaction()?;
    {
        let mut insert = tx.prepare(
            "INSERT INTO article_view_hours (article_id, hour, views) VALUES (?1, ?2, ?3)
             ON CONFLICT (article_id, hour) DO UPDATE SET views = views + excluded.views",
        )?;
        let mut total = tx.prepare("UPDATE articles SET views = views + ?2 WHERE id = ?1")?;
        for ((id, hour), n) in &hours {
            insert.execute(params![id, hour, n])?;
            total.execute(params![id, n])?;
        }
    }
    // Comments: `hot` on the most read article, the rest on the first 2,000 of the skew.
    let most_read = recent[0].0;
    {
        let mut insert = tx.prepare(
            "INSERT INTO comments (article_id, nickname, body, created_at, idempotency_key, client)
             VALUES (?1, ?2, ?3, ?4, ?5, '192.0.2.1')",
        )?;
        for n in 0..comments {
            let article = if n < hot {
                most_read
            } else {
                recent[rng.random_range(0..recent.len().min(2_000))].0
            };
            let nickname = format!(
                "{} {}",
                FIRST[rng.random_range(0..FIRST.len())],
                &LAST[rng.random_range(0..LAST.len())][..1]
            );
            let created = (now - rng.random_range(0..7 * 86_400)) * 1_000;
            insert.execute(params![
                article,
                nickname,
                sentence(rng, 5, 40) + ".",
                created,
                format!("scale-comment-{n:012}")
            ])?;
        }
    }
    tx.commit()?;
    conn.execute_batch("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);")?;
    println!(
        "{} hourly counters, {views} views, {comments} comments",
        hours.len()
    );
    Ok(())
}

fn probe(db: &Path) -> anyhow::Result<()> {
    let store = SqliteStore::open(db)?.store;
    let conn = store.conn()?;
    let (hot, count): (String, i64) = conn.query_row(
        "SELECT slug, comment_count FROM articles ORDER BY comment_count DESC, id LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    // A cursor three quarters of the way down the hot article's comments (past the end when it
    // has none, as on the demo).
    let deep: i64 = conn
        .query_row(
            "SELECT c.id FROM comments c JOIN articles a ON a.id = c.article_id
             WHERE a.slug = ?1 AND c.status = 'visible' ORDER BY c.id DESC LIMIT 1 OFFSET ?2",
            params![hot, count * 3 / 4],
            |r| r.get(0),
        )
        .optional()
        .context("the hot article's comments")?
        .unwrap_or(1);
    let popular: Vec<String> = conn
        .prepare("SELECT slug FROM articles ORDER BY views DESC, id LIMIT 200")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let section: String = conn.query_row(
        "SELECT s.slug FROM sections s JOIN articles a ON a.section_id = s.id
         GROUP BY s.id ORDER BY COUNT(*) DESC LIMIT 1",
        [],
        |r| r.get(0),
    )?;
    // The tag on the most articles: its feed weighs the most candidates.
    let tag: String = conn.query_row(
        "SELECT tag FROM article_tags GROUP BY tag ORDER BY COUNT(*) DESC, tag LIMIT 1",
        [],
        |r| r.get(0),
    )?;
    // The tags and bylines with the most stories: the longest lists (tags follow a Zipf
    // law, so the first of them are on thousands of articles).
    let tags: Vec<String> = conn
        .prepare("SELECT tag FROM article_tags GROUP BY tag ORDER BY COUNT(*) DESC, tag LIMIT 20")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let authors: Vec<String> = conn
        .prepare(
            "SELECT author_slug FROM articles WHERE author_slug IS NOT NULL
             GROUP BY author_slug ORDER BY COUNT(*) DESC, author_slug LIMIT 20",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let articles: i64 = conn.query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))?;
    let views: i64 = conn.query_row(
        "SELECT COALESCE(SUM(views), 0) FROM article_view_hours",
        [],
        |r| r.get(0),
    )?;
    let comments: i64 = conn.query_row("SELECT COUNT(*) FROM comments", [], |r| r.get(0))?;
    println!("HOT={hot}");
    println!("DEEP_CURSOR={deep}");
    println!("SECTION={section}");
    println!("TAG={}", broadsheet::feeds::tag_path(&tag));
    println!("POPULAR={}", popular.join(","));
    // As they stand in a path (the demo's tags have spaces).
    let in_path = |names: &[String]| {
        names
            .iter()
            .map(|n| broadsheet::route::Route::tag(n.clone()).path()["/tag/".len()..].to_owned())
            .collect::<Vec<_>>()
            .join(",")
    };
    println!("TAGS={}", in_path(&tags));
    println!("AUTHORS={}", in_path(&authors));
    println!("ARTICLES={articles}");
    println!("WEEK_VIEWS={views}");
    println!("COMMENTS={comments}");
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let mut rng = StdRng::seed_from_u64(cli.seed);
    match cli.command {
        Command::Articles { count, out } => articles(&mut rng, count, &out),
        Command::Activity {
            db,
            views,
            comments,
            hot,
        } => activity(&mut rng, &db, views, comments, hot),
        Command::Probe { db } => probe(&db),
    }
}
