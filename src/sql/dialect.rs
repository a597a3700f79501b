//! What differs between warehouses, and nothing else: exact quantiles, elapsed
//! seconds, local dates in a zone, Monday weeks and their labels, conditional counts,
//! types and quoting. Each method returns SQL text.

use crate::calendar::Every;

/// A warehouse's SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Duckdb,
    Postgres,
    Spark,
    Bigquery,
    Snowflake,
}

/// Words some dialect reserves (PostgreSQL, DuckDB, Spark, BigQuery, Snowflake), sorted:
/// a column of that name is quoted.
const KEYWORDS: &[&str] = &[
    "all",
    "alter",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "assert_rows_modified",
    "asymmetric",
    "at",
    "authorization",
    "between",
    "binary",
    "both",
    "by",
    "case",
    "cast",
    "check",
    "collate",
    "collation",
    "column",
    "concurrently",
    "connect",
    "connection",
    "constraint",
    "contains",
    "create",
    "cross",
    "cube",
    "current",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "database",
    "default",
    "deferrable",
    "define",
    "delete",
    "desc",
    "describe",
    "distinct",
    "do",
    "drop",
    "else",
    "end",
    "enum",
    "escape",
    "except",
    "exclude",
    "exists",
    "extract",
    "false",
    "fetch",
    "following",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "group",
    "grouping",
    "groups",
    "gscluster",
    "hash",
    "having",
    "if",
    "ignore",
    "ilike",
    "in",
    "increment",
    "initially",
    "inner",
    "insert",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "issue",
    "join",
    "lateral",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "lookup",
    "merge",
    "minus",
    "natural",
    "new",
    "no",
    "not",
    "notnull",
    "null",
    "nulls",
    "of",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "organization",
    "outer",
    "over",
    "overlaps",
    "partition",
    "pivot",
    "placing",
    "preceding",
    "primary",
    "proto",
    "qualify",
    "range",
    "recursive",
    "references",
    "regexp",
    "respect",
    "returning",
    "revoke",
    "right",
    "rlike",
    "rollup",
    "row",
    "rows",
    "sample",
    "schema",
    "select",
    "session_user",
    "set",
    "show",
    "similar",
    "some",
    "start",
    "struct",
    "symmetric",
    "table",
    "tablesample",
    "then",
    "to",
    "trailing",
    "treat",
    "trigger",
    "true",
    "try_cast",
    "unbounded",
    "union",
    "unique",
    "unnest",
    "unpivot",
    "update",
    "user",
    "using",
    "values",
    "variadic",
    "verbose",
    "view",
    "when",
    "whenever",
    "where",
    "window",
    "with",
    "within",
];

impl Dialect {
    pub const ALL: [Dialect; 5] = [
        Dialect::Duckdb,
        Dialect::Postgres,
        Dialect::Spark,
        Dialect::Bigquery,
        Dialect::Snowflake,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Dialect::Duckdb => "duckdb",
            Dialect::Postgres => "postgres",
            Dialect::Spark => "spark",
            Dialect::Bigquery => "bigquery",
            Dialect::Snowflake => "snowflake",
        }
    }

    /// An identifier: as it is when it is a plain lower-case name (so that Snowflake
    /// folds it like the table's own unquoted columns) and no dialect's keyword, else
    /// quoted (`"user"`: bare, PostgreSQL reads `user` as the login name).
    pub fn ident(self, name: &str) -> String {
        let lower = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        let keyword = KEYWORDS.binary_search(&name).is_ok();
        if lower && !keyword {
            return name.to_string();
        }
        match self {
            // Snowflake resolves an unquoted name in upper case (`user` is `USER`),
            // a quoted one as written: a keyword quoted in upper case is the column
            // the unquoted name would be.
            Dialect::Snowflake if lower => format!("\"{}\"", name.to_ascii_uppercase()),
            Dialect::Spark | Dialect::Bigquery => format!("`{}`", name.replace('`', "``")),
            _ => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// The name a result column written [`Dialect::ident`]`(name)` has in this
    /// warehouse, as it compares names: Snowflake folds an unquoted name to upper
    /// case; DuckDB, Spark and BigQuery compare names in any case.
    pub fn resolved(self, name: &str) -> String {
        let written = self.ident(name);
        match self {
            Dialect::Snowflake if written == name => name.to_ascii_uppercase(),
            Dialect::Snowflake => written[1..written.len() - 1].replace("\"\"", "\""),
            Dialect::Postgres => name.to_string(),
            _ => name.to_lowercase(),
        }
    }

    /// A string literal.
    pub fn string(self, text: &str) -> String {
        match self {
            // Backslashes escape in these two.
            Dialect::Spark | Dialect::Bigquery => {
                format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
            }
            // And in Snowflake's, where a quote may also be doubled.
            Dialect::Snowflake => format!("'{}'", text.replace('\\', "\\\\").replace('\'', "''")),
            _ => format!("'{}'", text.replace('\'', "''")),
        }
    }

    /// A number literal that every dialect reads as a float or an exact number.
    pub fn number(self, x: f64) -> String {
        if x.fract() == 0.0 && x.abs() < 1e15 {
            format!("{}", x as i64)
        } else {
            format!("{x:?}")
        }
    }

    fn float_type(self) -> &'static str {
        match self {
            Dialect::Postgres => "DOUBLE PRECISION",
            Dialect::Bigquery => "FLOAT64",
            _ => "DOUBLE",
        }
    }

    fn text_type(self) -> &'static str {
        match self {
            Dialect::Postgres => "TEXT",
            Dialect::Spark | Dialect::Bigquery => "STRING",
            _ => "VARCHAR",
        }
    }

    /// `expr` as a float.
    pub fn float(self, expr: &str) -> String {
        format!("CAST({expr} AS {})", self.float_type())
    }

    /// `expr` as a float, NULL for NaN: a missing value, as the command reads `NaN`
    /// (SPEC §14), where a typed column holds pandas' missing floats.
    pub fn float_or_null(self, expr: &str) -> String {
        let f = self.float(expr);
        let nan = match self {
            Dialect::Duckdb | Dialect::Spark => format!("isnan({f})"),
            Dialect::Bigquery => format!("IS_NAN({f})"),
            // NaN equals NaN there.
            Dialect::Postgres | Dialect::Snowflake => {
                format!("{f} = CAST('NaN' AS {})", self.float_type())
            }
        };
        format!("CASE WHEN {nan} THEN NULL ELSE {f} END")
    }

    /// Is a text cell given: not blank, nor `NaN` (as the command reads a missing
    /// value in a number or score column).
    pub fn given_text(self, expr: &str) -> String {
        let text = self.text(expr);
        self.given_words(&self.words(&text), &text)
    }

    /// [`Dialect::given_text`] of a cell's [`Dialect::words`], worked out already, and
    /// its text.
    pub fn given_words(self, words: &str, text: &str) -> String {
        // A survey sent and not answered (Zendesk's `Offered`) is no score, as the
        // command reads it, in any case; `NaN` only as the command's markers spell
        // it, and `-nan`, DuckDB's text of a typed negative NaN.
        let listed = |list: &[&str]| -> String {
            let quoted: Vec<String> = list.iter().map(|s| self.string(s)).collect();
            quoted.join(", ")
        };
        format!(
            "COALESCE(LOWER({words}) NOT IN ({}) AND {} NOT IN ({}), FALSE)",
            listed(crate::metrics::surveys::NOT_A_RESPONSE),
            self.trim_blanks(text),
            listed(&["NaN", "nan", "-NaN", "-nan"])
        )
    }

    /// `expr` as text (group keys print as text, whatever the column's type).
    pub fn text(self, expr: &str) -> String {
        format!("CAST({expr} AS {})", self.text_type())
    }

    /// A NULL of the type counts have (`COUNT`'s).
    pub fn null_count(self) -> String {
        match self {
            Dialect::Bigquery => "CAST(NULL AS INT64)".to_string(),
            _ => "CAST(NULL AS BIGINT)".to_string(),
        }
    }

    /// A float NULL.
    pub fn null_float(self) -> String {
        format!("CAST(NULL AS {})", self.float_type())
    }

    /// Milliseconds since the Unix epoch of a timestamp column, as an integer, the
    /// microseconds cut off (as the command reads timestamps): an elapsed time is a
    /// difference of two, exact, not a count of boundaries crossed. A timestamp
    /// without a zone is UTC.
    pub fn epoch_millis(self, ts: &str) -> String {
        match self {
            // Its epoch_ms rounds to the nearest millisecond. `infinity` (a "never")
            // is absent, as the command reads that text: no time.
            Dialect::Duckdb => format!(
                "CASE WHEN isfinite({ts}) THEN CAST(FLOOR(epoch_us({ts}) / 1000) AS BIGINT) END"
            ),
            // PostgreSQL's `infinity` has no epoch to cast, either.
            Dialect::Postgres => format!(
                "CASE WHEN isfinite({ts}) THEN CAST(FLOOR(EXTRACT(EPOCH FROM {ts}) * 1000) AS BIGINT) END"
            ),
            Dialect::Spark => format!("unix_millis({ts})"),
            Dialect::Bigquery => format!("UNIX_MILLIS({ts})"),
            Dialect::Snowflake => format!("DATE_PART(EPOCH_MILLISECOND, {ts})"),
        }
    }

    /// The condition that a date or timestamp column is not `infinity`/`-infinity`,
    /// where the engine has them (DuckDB, PostgreSQL).
    pub fn finite(self, column: &str) -> Option<String> {
        match self {
            Dialect::Duckdb | Dialect::Postgres => Some(format!("isfinite({column})")),
            Dialect::Spark | Dialect::Bigquery | Dialect::Snowflake => None,
        }
    }

    /// A text as a number, or NULL when it is not one: only what reads as a decimal
    /// number, as the command reads it (an engine's own cast takes more: DuckDB's
    /// `1_0` is 10).
    pub fn try_float(self, text: &str) -> String {
        const NUMBER: &str = "^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$";
        let t = self.trim_blanks(text);
        let float = self.float_type();
        match self {
            Dialect::Duckdb => format!(
                "CASE WHEN regexp_full_match({t}, '{NUMBER}') THEN TRY_CAST({t} AS {float}) END"
            ),
            Dialect::Spark => {
                format!("CASE WHEN {t} RLIKE '{NUMBER}' THEN TRY_CAST({t} AS {float}) END")
            }
            Dialect::Snowflake => {
                format!("CASE WHEN REGEXP_LIKE({t}, '{NUMBER}') THEN TRY_CAST({t} AS {float}) END")
            }
            Dialect::Bigquery => format!(
                "CASE WHEN REGEXP_CONTAINS({t}, r'{NUMBER}') THEN SAFE_CAST({t} AS FLOAT64) END"
            ),
            // No TRY_CAST: the pattern decides, and the range.
            Dialect::Postgres => format!("CASE WHEN {t} ~ '{NUMBER}' THEN {} END", pg_double(&t)),
        }
    }

    /// A common table expression's keyword that makes it worked out once (`WITH x AS
    /// MATERIALIZED (…)`), where the engine has it; nothing elsewhere.
    pub fn materialized(self) -> &'static str {
        match self {
            Dialect::Duckdb | Dialect::Postgres => "MATERIALIZED ",
            Dialect::Spark | Dialect::Bigquery | Dialect::Snowflake => "",
        }
    }

    /// Does `text` match a regular expression anchored at both ends (`^…$`)?
    pub fn matches(self, text: &str, pattern: &str) -> String {
        match self {
            Dialect::Duckdb => format!("regexp_full_match({text}, '{pattern}')"),
            Dialect::Spark => format!("{text} RLIKE '{pattern}'"),
            Dialect::Snowflake => format!("REGEXP_LIKE({text}, '{pattern}')"),
            Dialect::Bigquery => format!("REGEXP_CONTAINS({text}, r'{pattern}')"),
            Dialect::Postgres => format!("{text} ~ '{pattern}'"),
        }
    }

    /// The number of a score written with its label (`10 - Extremely likely`), or
    /// NULL: [`crate::metrics::surveys::numbered_label`]'s rule.
    /// Of a cell's [`Dialect::words`] (its blanks as the command reads a label's: `5`
    /// + a no-break space + `(Very…`).
    pub fn numbered_label(self, words: &str) -> String {
        use crate::metrics::surveys::NUMBERED_LABEL as P;
        let t = words;
        let float = self.float_type();
        match self {
            Dialect::Duckdb => {
                format!("TRY_CAST(NULLIF(regexp_extract({t}, '{P}', 1), '') AS {float})")
            }
            Dialect::Spark => {
                format!("TRY_CAST(NULLIF(regexp_extract({t}, '{P}', 1), '') AS {float})")
            }
            // Its one capturing group is the number.
            Dialect::Bigquery => format!(
                "SAFE_CAST(REGEXP_EXTRACT({t}, r'{}') AS FLOAT64)",
                P.replacen("([.]", "(?:[.]", 1)
            ),
            Dialect::Snowflake => {
                format!("TRY_CAST(REGEXP_SUBSTR({t}, '{P}', 1, 1, 'e', 1) AS {float})")
            }
            // `substring` gives the first group, NULL without a match.
            Dialect::Postgres => pg_double(&format!("substring({t} from '{P}')")),
        }
    }

    /// A text without the blanks the command trims around a word (Unicode's white
    /// space: spaces, tabs, line ends, no-break and typographic spaces): SQL's `TRIM`
    /// takes spaces alone.
    pub fn trim_blanks(self, text: &str) -> String {
        let blanks = self.blanks();
        match self {
            Dialect::Duckdb => format!("trim({text}, {blanks})"),
            Dialect::Postgres | Dialect::Spark => format!("btrim({text}, {blanks})"),
            Dialect::Bigquery | Dialect::Snowflake => format!("TRIM({text}, {blanks})"),
        }
    }

    /// The blanks of [`Dialect::trim_blanks`], as a text.
    fn blanks(self) -> String {
        const CODES: [u32; 25] = [
            32, 9, 10, 11, 12, 13, 133, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199,
            8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288,
        ];
        self.characters(&CODES)
    }

    /// The characters that print as nothing ([`crate::text::INVISIBLE`]), as a text.
    fn invisibles(self) -> String {
        let codes: Vec<u32> = (crate::text::INVISIBLE.iter())
            .flat_map(|&(lo, hi)| lo..=hi)
            .collect();
        self.characters(&codes)
    }

    /// A text of these code points, each written as a code (no engine's source
    /// mangles it).
    fn characters(self, codes: &[u32]) -> String {
        let chr = |f: &str| {
            let parts: Vec<String> = codes.iter().map(|c| format!("{f}({c})")).collect();
            parts.join(" || ")
        };
        match self {
            Dialect::Duckdb | Dialect::Postgres => chr("chr"),
            // Its chr() takes a code modulo 256: the characters as escapes instead.
            Dialect::Spark => {
                let escapes: String = codes.iter().map(|c| format!("\\u{c:04x}")).collect();
                format!("'{escapes}'")
            }
            Dialect::Bigquery => format!(
                "CODE_POINTS_TO_STRING([{}])",
                codes
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Dialect::Snowflake => chr("CHR"),
        }
    }

    /// A label's words as the command compares them: without the characters that
    /// print as nothing, trimmed of blanks, each run of blanks within it one space
    /// (`Very  satisfied`, a no-break space).
    pub fn words(self, text: &str) -> String {
        self.replace_all(&self.trim_blanks(&self.visible(text)), &self.blanks(), " ")
    }

    /// `text` without the characters that print as nothing, as the command reads a
    /// survey cell (`5\u{200b}` is 5).
    pub fn visible(self, text: &str) -> String {
        self.replace_all(text, &self.invisibles(), "")
    }

    /// `text` with each run of the characters `class` (a text) replaced by `by`.
    fn replace_all(self, text: &str, class: &str, by: &str) -> String {
        let run = match self {
            Dialect::Bigquery => format!("CONCAT('[', {class}, ']+')"),
            _ => format!("'[' || {class} || ']+'"),
        };
        match self {
            Dialect::Duckdb | Dialect::Postgres => {
                format!("regexp_replace({text}, {run}, '{by}', 'g')")
            }
            Dialect::Spark => format!("regexp_replace({text}, {run}, '{by}')"),
            Dialect::Bigquery | Dialect::Snowflake => {
                format!("REGEXP_REPLACE({text}, {run}, '{by}')")
            }
        }
    }

    /// A label cell as the command compares it (`normalized`): lower-cased, `İ` as
    /// `i` (DuckDB and PostgreSQL lower it so, Spark to `i` and a combining dot) and a
    /// final `ς` as `σ` (Spark's and the command's lower case of a final `Σ`; the
    /// others' is `σ`), so every engine reads a label alike.
    pub fn folded(self, text: &str) -> String {
        format!(
            "REPLACE(REPLACE(LOWER({text}), {}, 'i'), 'ς', 'σ')",
            self.string("i\u{307}")
        )
    }

    /// A group key: the column as text, an empty text or one of spaces blank (NULL),
    /// as the command reads such a cell.
    pub fn group_key(self, column: &str) -> String {
        let text = self.text(&self.ident(column));
        format!(
            "CASE WHEN {} <> '' THEN {text} END",
            self.trim_blanks(&text)
        )
    }

    /// An id: the column as text, trimmed (` A` is `A`, as the command reads an id),
    /// blank (NULL) when nothing is left.
    pub fn id_key(self, column: &str) -> String {
        let trimmed = self.trim_blanks(&self.text(&self.ident(column)));
        format!("CASE WHEN {trimmed} <> '' THEN {trimmed} END")
    }

    /// The local date in zone `tz` of a timestamp column (an instant; without a
    /// zone, UTC), whatever the session's time zone.
    pub fn local_date(self, ts: &str, tz: &str) -> String {
        let zone = self.string(city_zone(tz));
        match self {
            Dialect::Duckdb => format!(
                "CAST(timezone({zone}, to_timestamp(epoch_us({ts}) / 1000000.0)) AS DATE)"
            ),
            Dialect::Postgres => format!(
                "CAST(to_timestamp(EXTRACT(EPOCH FROM {ts})) AT TIME ZONE {zone} AS DATE)"
            ),
            // from_utc_timestamp shifts the instant by the zone's offset: its epoch is
            // then the local wall clock's, whatever spark.sql.session.timeZone says.
            Dialect::Spark => format!(
                "date_from_unix_date(CAST(floor(unix_micros(from_utc_timestamp({ts}, {zone})) / 86400000000) AS INT))"
            ),
            Dialect::Bigquery => format!("DATE({ts}, {zone})"),
            Dialect::Snowflake => format!(
                "CAST(CONVERT_TIMEZONE('UTC', {zone}, TO_TIMESTAMP_NTZ(DATE_PART(EPOCH_MICROSECOND, {ts}), 6)) AS DATE)"
            ),
        }
    }

    /// The first day of the bucket holding a date; weeks start on Monday.
    pub fn bucket_start(self, date: &str, every: Every) -> String {
        let unit = match every {
            Every::Day => return date.to_string(),
            Every::Week => "week",
            Every::Month => "month",
            Every::Quarter => "quarter",
            Every::Year => "year",
        };
        match self {
            // Both truncate weeks to Monday (ISO).
            Dialect::Duckdb | Dialect::Postgres => {
                format!("CAST(date_trunc('{unit}', {date}) AS DATE)")
            }
            Dialect::Spark => format!("trunc({date}, '{unit}')"),
            // BigQuery's WEEK starts on Sunday; ISOWEEK on Monday.
            Dialect::Bigquery => {
                let unit = if every == Every::Week {
                    "ISOWEEK".to_string()
                } else {
                    unit.to_uppercase()
                };
                format!("DATE_TRUNC({date}, {unit})")
            }
            // Snowflake's week start is a session parameter: count back to Monday.
            Dialect::Snowflake if every == Every::Week => {
                format!("DATEADD(day, 1 - DAYOFWEEKISO({date}), {date})")
            }
            Dialect::Snowflake => format!("DATE_TRUNC('{unit}', {date})"),
        }
    }

    /// The label of the bucket starting on `start` (a date): `2025-03-04`,
    /// `2025-W09` (ISO year and week), `2025-03`, `2025-Q1`, `2025`.
    pub fn bucket_label(self, start: &str, every: Every) -> String {
        use Dialect::*;
        use Every::*;
        match (self, every) {
            (Duckdb, Day) => format!("strftime({start}, '%Y-%m-%d')"),
            (Duckdb, Week) => format!("strftime({start}, '%G-W%V')"),
            (Duckdb, Month) => format!("strftime({start}, '%Y-%m')"),
            (Duckdb, Quarter) => format!("strftime({start}, '%Y') || '-Q' || quarter({start})"),
            (Duckdb, Year) => format!("strftime({start}, '%Y')"),
            (Postgres, Day) => format!("to_char({start}, 'YYYY-MM-DD')"),
            (Postgres, Week) => format!("to_char({start}, 'IYYY-\"W\"IW')"),
            (Postgres, Month) => format!("to_char({start}, 'YYYY-MM')"),
            (Postgres, Quarter) => format!("to_char({start}, 'YYYY-\"Q\"Q')"),
            (Postgres, Year) => format!("to_char({start}, 'YYYY')"),
            (Spark, Day) => format!("date_format({start}, 'yyyy-MM-dd')"),
            // The ISO year of a Monday is the year of its Thursday.
            (Spark, Week) => format!(
                "concat(CAST(year(date_add({start}, 3)) AS STRING), '-W', lpad(CAST(weekofyear({start}) AS STRING), 2, '0'))"
            ),
            (Spark, Month) => format!("date_format({start}, 'yyyy-MM')"),
            (Spark, Quarter) => format!(
                "concat(CAST(year({start}) AS STRING), '-Q', CAST(quarter({start}) AS STRING))"
            ),
            (Spark, Year) => format!("date_format({start}, 'yyyy')"),
            (Bigquery, Day) => format!("FORMAT_DATE('%Y-%m-%d', {start})"),
            (Bigquery, Week) => format!("FORMAT_DATE('%G-W%V', {start})"),
            (Bigquery, Month) => format!("FORMAT_DATE('%Y-%m', {start})"),
            (Bigquery, Quarter) => format!("FORMAT_DATE('%Y-Q%Q', {start})"),
            (Bigquery, Year) => format!("FORMAT_DATE('%Y', {start})"),
            (Snowflake, Day) => format!("TO_CHAR({start}, 'YYYY-MM-DD')"),
            (Snowflake, Week) => format!(
                "TO_VARCHAR(YEAROFWEEKISO({start})) || '-W' || LPAD(TO_VARCHAR(WEEKISO({start})), 2, '0')"
            ),
            (Snowflake, Month) => format!("TO_CHAR({start}, 'YYYY-MM')"),
            (Snowflake, Quarter) => {
                format!("TO_VARCHAR(YEAR({start})) || '-Q' || TO_VARCHAR(QUARTER({start}))")
            }
            (Snowflake, Year) => format!("TO_CHAR({start}, 'YYYY')"),
        }
    }

    /// A date literal.
    pub fn date(self, d: chrono::NaiveDate) -> String {
        format!("DATE '{}'", d.format("%Y-%m-%d"))
    }

    /// The rows of a group where `cond` is true (not false, not unknown).
    pub fn count_if(self, cond: &str) -> String {
        match self {
            Dialect::Duckdb | Dialect::Postgres => format!("COUNT(*) FILTER (WHERE {cond})"),
            Dialect::Spark | Dialect::Snowflake => format!("COUNT_IF({cond})"),
            Dialect::Bigquery => format!("COUNTIF({cond})"),
        }
    }

    /// The exact `q` quantile of `x` over a group, linear between closest ranks, as
    /// an aggregate; None where the dialect has only the window form (BigQuery).
    pub fn quantile(self, x: &str, q: f64) -> Option<String> {
        let q = self.number(q);
        match self {
            Dialect::Duckdb => Some(format!("quantile_cont({x}, {q})")),
            Dialect::Postgres | Dialect::Snowflake => {
                Some(format!("percentile_cont({q}) WITHIN GROUP (ORDER BY {x})"))
            }
            // `percentile` is exact; `percentile_approx` is not.
            Dialect::Spark => Some(format!("percentile({x}, {q})")),
            Dialect::Bigquery => None,
        }
    }

    /// The window form of the exact quantile, over the rows of each `partition`.
    pub fn quantile_over(self, x: &str, q: f64, partition: &[String]) -> String {
        let over = if partition.is_empty() {
            String::new()
        } else {
            format!("PARTITION BY {}", partition.join(", "))
        };
        format!("PERCENTILE_CONT({x}, {}) OVER ({over})", self.number(q))
    }

    /// Any of a group's (equal) values.
    pub fn any_value(self, x: &str) -> String {
        match self {
            Dialect::Bigquery | Dialect::Snowflake | Dialect::Duckdb => format!("ANY_VALUE({x})"),
            _ => format!("MAX({x})"),
        }
    }

    /// A sort key: text in byte order, absent values last (as cxm sorts).
    pub fn order_key(self, key: &str, text: bool) -> String {
        match self {
            Dialect::Postgres if text => format!("{key} COLLATE \"C\" NULLS LAST"),
            _ => format!("{key} NULLS LAST"),
        }
    }
}

/// `CET`, `EET`, `MET` and `WET` by the city zones the tz database links them to (as
/// cxm reads them): PostgreSQL reads those four names as fixed abbreviations first
/// (`CET` +01:00 all year), which would put a summer night in the previous day.
/// A number's text as PostgreSQL's double, NULL beyond its range (`1e400`: a cast
/// would stop the query) and 0 below its least value, as the command reads it
/// (subnormal values, which it may refuse, are no score of any scale: NULL).
/// An exponent of five significant digits or more is past NUMERIC's range too: a
/// negative one is 0, a positive one out of range (but for a mantissa of zeros).
fn pg_double(text: &str) -> String {
    let n = format!("abs(CAST({text} AS NUMERIC))");
    format!(
        "CASE WHEN {text} ~ '[eE]-0*[1-9][0-9]{{4,}}$' OR {text} ~ '^[-+]?[0.]*[eE]' THEN 0 WHEN {text} ~ '[eE][+]?0*[1-9][0-9]{{4,}}$' THEN NULL WHEN {n} > 1.7976931348623157e308 THEN NULL WHEN {n} <= 2.4703282292062327209e-324 THEN 0 WHEN {n} < 2.2250738585072014e-308 THEN NULL ELSE CAST({text} AS DOUBLE PRECISION) END"
    )
}

fn city_zone(tz: &str) -> &str {
    match tz {
        "CET" | "MET" => "Europe/Brussels",
        "EET" => "Europe/Athens",
        "WET" => "Europe/Lisbon",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A quote and a backslash stay themselves in every dialect's literal: doubled
    /// quotes where backslashes are plain text, backslash escapes where they escape
    /// (Spark, BigQuery, Snowflake).
    #[test]
    fn keywords_are_quoted_as_each_warehouse_resolves_names() {
        assert_eq!(Dialect::Postgres.ident("user"), "\"user\"");
        assert_eq!(Dialect::Spark.ident("group"), "`group`");
        // Snowflake folds unquoted names to upper case: `user` is the column USER.
        assert_eq!(Dialect::Snowflake.ident("user"), "\"USER\"");
        assert_eq!(Dialect::Snowflake.ident("team"), "team");
        // A name quoted for its own spelling keeps it.
        assert_eq!(Dialect::Snowflake.ident("Team Name"), "\"Team Name\"");
        // How each compares the names of a result's columns.
        assert_eq!(Dialect::Snowflake.resolved("user"), "USER");
        assert_eq!(Dialect::Snowflake.resolved("tickets"), "TICKETS");
        assert_eq!(Dialect::Snowflake.resolved("Team"), "Team");
        assert_eq!(Dialect::Postgres.resolved("Team"), "Team");
        assert_eq!(Dialect::Bigquery.resolved("Team"), "team");
    }

    #[test]
    fn string_literals_keep_quotes_and_backslashes() {
        let text = r"it's a\b\";
        let want = [
            (Dialect::Duckdb, r"'it''s a\b\'"),
            (Dialect::Postgres, r"'it''s a\b\'"),
            (Dialect::Spark, r"'it\'s a\\b\\'"),
            (Dialect::Bigquery, r"'it\'s a\\b\\'"),
            (Dialect::Snowflake, r"'it''s a\\b\\'"),
        ];
        for (d, literal) in want {
            assert_eq!(d.string(text), literal, "{}", d.name());
        }
    }
}
