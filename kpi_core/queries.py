"""Every SQL statement of Boussole, readable as SQL.

Values are always bound parameters (`$name`). The only `{placeholders}` are identifiers quoted by
`session.quote` from the schemas, and fragments built by `engine` from this module and the catalog.
"""

from __future__ import annotations

from dataclasses import dataclass

# Loading: several lines of one order add up, and date to the order's first line; a won deal reached the last
# stage (the signature), whatever stage its export left it at.
LOAD = {
    # Each line carries its order's date (the first line's) and total: aggregated, then joined back (a window over
    # ten million lines takes twice as long and holds them all at once).
    "orders": """
        CREATE OR REPLACE TABLE {table} AS
        SELECT l.* REPLACE (o.order_date AS order_date), o.order_total
        FROM {rows} l
        JOIN (SELECT order_id, MIN(order_date) AS order_date, SUM(amount) AS order_total
              FROM {rows} GROUP BY order_id) o USING (order_id)
    """,
    "deals": """
        CREATE OR REPLACE TABLE {table} AS
        SELECT *, CASE WHEN status = 'won' THEN len($stages) ELSE list_position($stages, stage) END AS stage_rank
        FROM {rows}
    """,
    **{dataset: "CREATE OR REPLACE TABLE {table} AS SELECT * FROM {rows}" for dataset in ("activities", "leads")},
    # Spend and targets are monthly: any date in the month stands for the whole month.
    "spend": """
        CREATE OR REPLACE TABLE {table} AS
        SELECT * REPLACE (CAST(date_trunc('month', month) AS DATE) AS month) FROM {rows}
    """,
    "targets": """
        CREATE OR REPLACE TABLE {table} AS
        SELECT * REPLACE (CAST(date_trunc('month', period) AS DATE) AS period) FROM {rows}
    """,
}

# A data file's rows (their key, in file order) with a lookup's columns: the first line of each key, none when the
# key is empty or unknown (lookup.join names the columns by position).
LOOKUP_JOIN = """
    WITH entities AS (
        SELECT * EXCLUDE (position) FROM lookup_rows WHERE join_key IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY join_key ORDER BY position) = 1
    )
    SELECT e.* EXCLUDE (join_key), e.join_key IS NOT NULL AS found
    FROM data_keys d LEFT JOIN entities e ON e.join_key = d.join_key
    ORDER BY d.position
"""

# The date that says when something happened, per dataset (for the data's date range, whose last day is the
# analysis date). An open deal's close date is planned, not something that happened: it does not count.
BUSINESS_DATES = (("orders", "order_date"), ("deals", "created_date"), ("deals", "closed_date"),
                  ("activities", "activity_date"), ("leads", "created_at"))
PLANNED_WHEN_OPEN = (("deals", "closed_date"),)

DATE_RANGE = "SELECT CAST(MIN({column}) AS DATE) AS first, CAST(MAX({column}) AS DATE) AS last FROM {table} {where}"
ONLY_CLOSED = "WHERE status IS DISTINCT FROM 'open'"

DISTINCT_VALUES = """
    SELECT DISTINCT {column} AS value FROM {table}
    WHERE {column} IS NOT NULL AND trim({column}) <> ''
    ORDER BY value
    LIMIT $limit
"""

# The windows a computation covers, from parallel lists of dates bound as parameters.
WINDOWS = """
    windows AS (
        SELECT unnest(range(1, len($starts) + 1)) AS i,
               unnest($starts) AS start, unnest($stops) AS stop,
               unnest($base_starts) AS base_start, unnest($base_stops) AS base_stop, unnest($base_cuts) AS base_cut,
               unnest($previous_starts) AS previous_start, unnest($previous_stops) AS previous_stop,
               unnest($working_days) AS working_days, unnest($working_days_elapsed) AS working_days_elapsed,
               unnest($target_months) AS target_months, unnest($target_shares) AS target_shares
    )"""


# Each transition k → k+1 of the pipeline, for the deals created in the window that reached stage k: how many moved
# on, how many are still open at stage k, and the rate counted only on the deals that have left the stage ("decided":
# moved on, or stopped there — lost, or without a status). A deal still sitting at a stage has neither converted nor
# failed, so a young cohort's later stages are not "0 %". `maturity` says whether the rate can be read: 2 = withheld
# (too few decided deals, or most of the stage's deals still open), 1 = provisional, 0 = settled. `relevant` leaves out
# the transitions after one that settled at zero (nobody reached them, and the chain is already zero).
STAGE_TRANSITIONS = """
    WITH facts AS (
        SELECT w.i, {dimension} AS dim_value, f.stage_rank, f.status
        FROM windows w JOIN deals f ON f.created_date >= w.start AND f.created_date < w.stop
        WHERE {filters}
    ),
    positions AS (SELECT unnest(range(1, $stage_count)) AS position),
    counts AS (
        SELECT f.i, f.dim_value, p.position, COUNT(*) AS reached,
               COUNT(*) FILTER (WHERE f.stage_rank > p.position) AS advanced,
               COUNT(*) FILTER (WHERE f.stage_rank = p.position AND f.status = 'open') AS still_open
        FROM facts f JOIN positions p ON f.stage_rank >= p.position
        GROUP BY ALL
    ),
    grid AS (
        SELECT k.i, k.dim_value, p.position, COALESCE(c.reached, 0) AS reached, COALESCE(c.advanced, 0) AS advanced,
               COALESCE(c.still_open, 0) AS still_open, COALESCE(c.reached - c.still_open, 0) AS decided
        FROM (SELECT DISTINCT i, dim_value FROM facts) k CROSS JOIN positions p
        LEFT JOIN counts c ON c.i = k.i AND c.dim_value IS NOT DISTINCT FROM k.dim_value AND c.position = p.position
    ),
    rated AS (
        SELECT *, CAST(advanced AS DOUBLE) / NULLIF(decided, 0) AS rate,
               CASE WHEN decided < $min_decided OR still_open > $max_open_share * reached THEN 2
                    WHEN decided < $small_decided OR still_open > $provisional_open_share * reached THEN 1
                    ELSE 0 END AS maturity
        FROM grid
    )
    SELECT *, position <= COALESCE(MIN(position) FILTER (WHERE advanced = 0 AND maturity < 2)
                                     OVER (PARTITION BY i, dim_value), position) AS relevant
    FROM rated"""

# A conversion across every transition (catalog `Conversion`): the product of the transition rates, withheld when
# one of them is; with the fewest decided deals of a transition, the worst maturity and the transition behind it.
CONVERSION = {
    "": "CASE WHEN bool_and(f.maturity < 2) FILTER (WHERE f.relevant) "
        "THEN product(f.rate) FILTER (WHERE f.relevant) END",
    "decided": "MIN(f.decided) FILTER (WHERE f.relevant)",
    "maturity": "MAX(f.maturity) FILTER (WHERE f.relevant)",
    "blocking": "arg_max(f.position, f.maturity * 1000 - f.position) FILTER (WHERE f.relevant)",
    "open_share": "arg_max(CAST(f.still_open AS DOUBLE) / NULLIF(f.reached, 0), "
                  "f.maturity * 1000 - f.position) FILTER (WHERE f.relevant)",
}

@dataclass(frozen=True)
class Source:
    """Fact rows tagged with the window `i` they fall in and the breakdown value `dim_value`."""

    name: str
    dataset: str
    sql: str


def _dated(name: str, dataset: str, date_column: str) -> Source:
    return Source(name, dataset, f"""
        SELECT w.i, {{dimension}} AS dim_value, f.*
        FROM windows w JOIN {dataset} f ON f.{date_column} >= w.start AND f.{date_column} < w.stop
        WHERE {{filters}}""")


SOURCES = {
    source.name: source
    for source in (
        _dated("orders", "orders", "order_date"),
        _dated("deals_created", "deals", "created_date"),
        _dated("deals_closed", "deals", "closed_date"),
        _dated("activities", "activities", "activity_date"),
        _dated("leads", "leads", "created_at"),
        _dated("spend", "spend", "month"),
        # A month's target counts in the windows holding that month, for the share of its working days they do.
        Source("targets", "targets", """
            SELECT w.i, {dimension} AS dim_value,
                   f.* REPLACE (f.target * w.target_shares[list_position(w.target_months, f.period)] AS target)
            FROM windows w JOIN targets f ON list_contains(w.target_months, f.period)
            WHERE {filters}"""),
        # The previous period's spend (to date when the current one is in progress).
        Source("spend_previous", "spend", """
            SELECT w.i, {dimension} AS dim_value, f.*
            FROM windows w JOIN spend f ON f.month >= w.previous_start AND f.month < w.previous_stop
            WHERE {filters}"""),
        # Orders of the period and of the one before, told apart by `in_current`.
        Source("orders_two_periods", "orders", """
            SELECT w.i, {dimension} AS dim_value, f.*, f.order_date >= w.start AS in_current
            FROM windows w JOIN orders f ON f.order_date >= w.previous_start AND f.order_date < w.stop
            WHERE {filters}"""),
        # Every order up to the end of the window (lifetime figures).
        Source("orders_to_date", "orders", """
            SELECT w.i, {dimension} AS dim_value, f.*
            FROM windows w JOIN orders f ON f.order_date < w.stop
            WHERE {filters}"""),
        # Customers whose first positive order falls in the window. Like every KPI, computed on the rows of the
        # breakdown value (or filter) alone: a customer new to a region is one whose first order there is in the
        # window.
        Source("new_customers", "orders", """
            WITH firsts AS (
                SELECT f.customer_id, {dimension} AS dim_value, MIN(f.order_date) AS first_date
                FROM orders f WHERE f.order_total > 0 AND f.customer_id IS NOT NULL AND {filters}
                GROUP BY ALL
            )
            SELECT w.i, c.dim_value, c.customer_id
            FROM windows w JOIN firsts c ON c.first_date >= w.start AND c.first_date < w.stop"""),
        # Orders of the window, telling new customers (first positive order of the rows in scope in the window) from
        # returning ones; an order without a customer is neither.
        Source("orders_new_or_returning", "orders", """
            WITH firsts AS (
                SELECT f.customer_id, {dimension} AS dim_value, MIN(f.order_date) AS first_date
                FROM orders f WHERE f.order_total > 0 AND f.customer_id IS NOT NULL AND {filters}
                GROUP BY ALL
            )
            SELECT w.i, {dimension} AS dim_value, f.*,
                   CASE WHEN f.customer_id IS NOT NULL THEN COALESCE(c.first_date >= w.start, FALSE) END AS is_new
            FROM windows w JOIN orders f ON f.order_date >= w.start AND f.order_date < w.stop
            LEFT JOIN firsts c ON c.customer_id = f.customer_id AND c.dim_value IS NOT DISTINCT FROM {dimension}
            WHERE {filters}"""),
        Source("stage_transitions", "deals", STAGE_TRANSITIONS),
        # Deals created before the end of the window and still open then.
        Source("deals_open_at_end", "deals", """
            SELECT w.i, {dimension} AS dim_value, f.*
            FROM windows w JOIN deals f ON f.created_date < w.stop
            WHERE (f.status = 'open' OR f.closed_date >= w.stop) AND {filters}"""),
        # Customers active (a positive order) in the base window, and whether they came back — within the rows in
        # scope: a Paris customer is retained in Paris when they order again in Paris, as the filtered view counts.
        Source("retention", "orders", """
            WITH active AS (
                SELECT f.customer_id, f.order_date, {dimension} AS dim_value
                FROM orders f WHERE f.order_total > 0 AND f.customer_id IS NOT NULL AND {filters}
            ),
            base AS (
                SELECT DISTINCT w.i, a.dim_value, a.customer_id
                FROM windows w JOIN active a ON a.order_date >= w.base_start AND a.order_date < w.base_stop
            ),
            recent AS (
                SELECT DISTINCT w.i, a.dim_value, a.customer_id
                FROM windows w JOIN active a ON a.order_date >= w.base_stop AND a.order_date < w.stop
            )
            SELECT b.i, b.dim_value, b.customer_id, r.customer_id IS NOT NULL AS retained
            FROM base b LEFT JOIN recent r ON r.i = b.i AND r.customer_id = b.customer_id
                                          AND r.dim_value IS NOT DISTINCT FROM b.dim_value"""),
        # The base window's customers (positive revenue there, its days cut to date alike) with their revenue then
        # and in the recent window, never below zero (a customer who only got a credit note brought nothing).
        Source("revenue_retention", "orders", """
            WITH lines AS (
                SELECT f.customer_id, f.order_date, f.amount, {dimension} AS dim_value
                FROM orders f WHERE f.customer_id IS NOT NULL AND {filters}
            ),
            base AS (
                SELECT w.i, l.dim_value, l.customer_id, SUM(l.amount) AS base_revenue
                FROM windows w JOIN lines l ON l.order_date >= w.base_start AND l.order_date < w.base_cut
                GROUP BY ALL HAVING SUM(l.amount) > 0
            ),
            recent AS (
                SELECT w.i, l.dim_value, l.customer_id, SUM(l.amount) AS revenue
                FROM windows w JOIN lines l ON l.order_date >= w.base_stop AND l.order_date < w.stop
                GROUP BY ALL
            )
            SELECT b.i, b.dim_value, b.customer_id, b.base_revenue, GREATEST(COALESCE(r.revenue, 0), 0) AS revenue
            FROM base b LEFT JOIN recent r ON r.i = b.i AND r.customer_id = b.customer_id
                                          AND r.dim_value IS NOT DISTINCT FROM b.dim_value"""),
    )
}

# One CTE per source: every aggregate KPI of that source, per window and breakdown value.
SOURCE_AGGREGATES = """
    {cte} AS (
        SELECT i, dim_value, {aggregates}
        FROM ({source}) f
        GROUP BY i, dim_value
    )"""

# The rows of the result: every window (no breakdown) or every window × value found.
KEYS_ALL_WINDOWS = "keys AS (SELECT i, CAST(NULL AS VARCHAR) AS dim_value FROM windows)"
KEYS_FOUND = "keys AS ({union})"

KPI_STATEMENT = """
    WITH {ctes}
    SELECT k.i, k.dim_value, {columns}
    FROM keys k JOIN windows w ON w.i = k.i {joins}
    ORDER BY k.i, k.dim_value
"""

JOIN = "LEFT JOIN {cte} ON {cte}.i = k.i AND {cte}.dim_value IS NOT DISTINCT FROM k.dim_value"

# The ratio, written once.
RATIO = "CAST({numerator} AS DOUBLE) / NULLIF({denominator}, 0)"
PRODUCT = "CAST({first} AS DOUBLE) * {rest}"
# A rate whose denominator still has members of unknown outcome: withheld while more than the maturity share are.
PENDING = "CASE WHEN {pending} <= $max_open_share * {denominator} THEN {ratio} END"
# The working days of a window (`w` in KPI_STATEMENT): all of the period's, the ones elapsed, the ones left.
WORKING_DAYS = {"period": "w.working_days", "elapsed": "w.working_days_elapsed",
                "left": "(w.working_days - w.working_days_elapsed)"}

# A custom KPI's aggregate over the fact rows `f`, and its filter conditions ({column} is quoted by the caller).
CUSTOM_AGGREGATIONS = {
    "count": "COUNT(*) FILTER (WHERE {where})",
    "count_distinct": "COUNT(DISTINCT {column}) FILTER (WHERE {where})",
    "sum": "SUM({column}) FILTER (WHERE {where})",
    "avg": "AVG({column}) FILTER (WHERE {where})",
}
CUSTOM_CONDITIONS = {
    "in": "list_contains(${param}, {column})",
    "not_in": "NOT list_contains(${param}, {column})",
    "is_true": "{column}",
    "is_false": "NOT {column}",
    "at_least": "{column} >= ${param}",
    "at_most": "{column} <= ${param}",
}
# What is left to reach a figure: nothing once it is passed, unknown without the figure.
DIFFERENCE = ("CASE WHEN {minuend} IS NOT NULL "
              "THEN GREATEST(CAST({minuend} AS DOUBLE) - COALESCE({subtrahend}, 0), 0) END")

# Every stage with the deals that reached it and are still open there, and the transition into it from the stage
# before: its decided deals, maturity, rate (withheld → NULL) and the raw cohort reading (reached ÷ reached before,
# open deals included).
FUNNEL = """
    WITH {windows}, transitions AS ({source}),
    stages AS (
        SELECT i, dim_value, position AS stage_rank, reached, still_open FROM transitions
        UNION ALL
        SELECT i, dim_value, position + 1, advanced, 0 FROM transitions WHERE position = $stage_count - 1
    )
    SELECT s.i, s.dim_value, s.stage_rank, s.reached, s.still_open, p.decided AS decided_from_previous,
           p.maturity AS maturity_from_previous,
           CASE WHEN p.maturity < 2 THEN p.rate END AS conversion_from_previous,
           CAST(s.reached AS DOUBLE) / NULLIF(p.reached, 0) AS raw_conversion
    FROM stages s
    LEFT JOIN transitions p ON p.i = s.i AND p.dim_value IS NOT DISTINCT FROM s.dim_value
                           AND p.position = s.stage_rank - 1
    ORDER BY s.i, s.dim_value, s.stage_rank
"""

# Customers whose revenue fell between two spans of equal length, and why: their basket fell, they order less often,
# or they have been silent for much longer than their usual rhythm (the mean gap between their orders). A customer
# whose revenue did not fall is not at risk, whatever else moved. Order revenue is the lines in scope (filters).
AT_RISK_CUSTOMERS = """
    WITH orders_once AS (
        SELECT f.order_id, any_value(f.customer_id) AS customer_id, MIN(f.order_date) AS order_date,
               bool_or(f.order_total > 0) AS is_sale, SUM(f.amount) AS amount, any_value(f.rep) AS rep,
               any_value(f.region) AS region, any_value(f.segment) AS segment
        FROM orders f WHERE f.order_date < $stop AND f.customer_id IS NOT NULL AND {filters}
        GROUP BY f.order_id
    ),
    by_customer AS (
        SELECT customer_id, arg_max(rep, order_date) AS rep, arg_max(region, order_date) AS region,
               arg_max(segment, order_date) AS segment,
               COUNT(*) FILTER (WHERE is_sale AND order_date >= $before_start AND order_date < $recent_start)
                 AS orders_before,
               COALESCE(SUM(amount) FILTER (WHERE order_date >= $before_start AND order_date < $recent_start), 0)
                 AS revenue_before,
               COUNT(*) FILTER (WHERE is_sale AND order_date >= $recent_start) AS orders_recent,
               COALESCE(SUM(amount) FILTER (WHERE order_date >= $recent_start), 0) AS revenue_recent,
               MAX(order_date) FILTER (WHERE is_sale) AS last_order_date,
               date_diff('day', MIN(order_date) FILTER (WHERE is_sale), MAX(order_date) FILTER (WHERE is_sale))
                 / NULLIF(COUNT(*) FILTER (WHERE is_sale) - 1, 0) AS rhythm_days
        FROM orders_once GROUP BY customer_id
    ),
    measured AS (
        SELECT *, revenue_before - revenue_recent AS revenue_at_risk,
               CAST(revenue_before AS DOUBLE) / NULLIF(orders_before, 0) AS basket_before,
               CAST(revenue_recent AS DOUBLE) / NULLIF(orders_recent, 0) AS basket_recent,
               date_diff('day', last_order_date, $as_of) AS silent_days
        FROM by_customer WHERE orders_before >= $min_orders AND revenue_recent < revenue_before
    ),
    flagged AS (
        SELECT *, COALESCE(orders_recent > 0 AND basket_recent <= basket_before * $max_basket_ratio, FALSE)
                    AS basket_falling,
               orders_recent <= orders_before * $max_order_ratio AS frequency_falling,
               COALESCE(silent_days >= $min_silent_days AND silent_days > $silence_factor * rhythm_days, FALSE)
                 AS silent
        FROM measured
    )
    SELECT customer_id, rep, region, segment, revenue_at_risk, revenue_before, revenue_recent, orders_before,
           orders_recent, basket_before, basket_recent, last_order_date, silent_days, rhythm_days, basket_falling,
           frequency_falling, silent
    FROM flagged WHERE basket_falling OR frequency_falling OR silent
    ORDER BY revenue_at_risk DESC, customer_id
    LIMIT $limit
"""

# Share of each cohort (customers by period of first positive order) active n periods later, and its revenue then as
# a share of its revenue in its first period (above 100 %: the cohort buys more than when it arrived).
COHORTS = """
    WITH lines AS (
        SELECT f.customer_id, f.amount, f.order_total,
               CAST(date_trunc($granularity, f.order_date - to_months($month_shift)) + to_months($month_shift)
                    AS DATE) AS period
        FROM orders f WHERE f.customer_id IS NOT NULL AND {filters}
    ),
    active AS (SELECT DISTINCT customer_id, period FROM lines WHERE order_total > 0),
    firsts AS (SELECT customer_id, MIN(period) AS cohort FROM active GROUP BY customer_id),
    sizes AS (SELECT cohort, COUNT(*) AS customers FROM firsts GROUP BY cohort),
    counts AS (
        SELECT fi.cohort, a.period, COUNT(*) AS active
        FROM active a JOIN firsts fi USING (customer_id) GROUP BY ALL
    ),
    revenues AS (
        SELECT fi.cohort, l.period, SUM(l.amount) AS revenue
        FROM lines l JOIN firsts fi USING (customer_id) WHERE l.period >= fi.cohort GROUP BY ALL
    )
    SELECT c.cohort, c.period, s.customers AS cohort_size, c.active, CAST(c.active AS DOUBLE) / s.customers AS share,
           r.revenue, r.revenue / NULLIF(r0.revenue, 0) AS revenue_share
    FROM counts c JOIN sizes s USING (cohort)
    LEFT JOIN revenues r USING (cohort, period)
    LEFT JOIN revenues r0 ON r0.cohort = c.cohort AND r0.period = c.cohort
    WHERE c.cohort >= $first_cohort AND c.period < $stop
    ORDER BY c.cohort, c.period
"""


# Group A / group B of a comparison: rows in neither (when B is chosen values) are left out of both.
GROUP = """CASE WHEN list_contains($group_a, {column}) THEN 'A'
    WHEN {column} IS NOT NULL AND ($group_b_rest OR list_contains($group_b, {column})) THEN 'B' END"""

RELABEL = "list_extract($relabel_to, list_position($relabel_from, {column}))"

# One row per sale (an order whose lines add up to more than zero) in the window, with its group.
ORDER_TOTALS = """
    WITH {windows}, facts AS ({source})
    SELECT dim_value AS grp, order_id, MAX(order_total) AS total
    FROM facts WHERE order_total > 0 AND dim_value IS NOT NULL
    GROUP BY dim_value, order_id
"""

# Deals lost in the window by reason (no reason given is its own line).
LOST_REASONS = """
    WITH {windows}, facts AS ({source})
    SELECT COALESCE(NULLIF(trim(lost_reason), ''), $no_reason) AS reason, COUNT(*) AS deals,
           COALESCE(SUM(amount), 0) AS amount
    FROM facts WHERE status = 'lost'
    GROUP BY ALL ORDER BY deals DESC, amount DESC, reason
"""

# Days spent in each stage by the deals of the window that have entry dates: from entering a stage to entering the
# next one they have a date for (a backwards date is a data error and is left out).
TIME_IN_STAGE = """
    WITH {windows}, facts AS ({source}),
    entries AS (
        SELECT deal_id, unnest(range(1, len(stage_entries) + 1)) AS stage_rank, unnest(stage_entries) AS entered
        FROM facts WHERE stage_entries IS NOT NULL
    ),
    moves AS (
        SELECT stage_rank, date_diff('day', entered, LEAD(entered) OVER (PARTITION BY deal_id ORDER BY stage_rank))
                 AS days
        FROM entries WHERE entered IS NOT NULL
    )
    SELECT stage_rank, COUNT(*) AS deals, quantile_cont(days, 0.5) AS median_days, AVG(days) AS mean_days
    FROM moves WHERE days >= 0
    GROUP BY stage_rank ORDER BY stage_rank
"""

# The deals the user's filters keep (a source without windows).
DEALS_IN_SCOPE = "SELECT f.* FROM deals f WHERE {filters}"

# The deals open at each cut as the data knew them then: created before it and not closed before it (a deal closed
# later was open), with their age, the stage they had entered before the cut (when the deals carry entry dates and
# `$staged`) and whether they were won before the cut's end; `{rep}` is the rep column or NULL.
FORECAST_DEALS = """
    WITH cuts AS (
        SELECT unnest(range(1, len($cuts) + 1)) AS i, unnest($cuts) AS cut, unnest($ends) AS stop
    ),
    facts AS ({source})
    SELECT c.i, f.deal_id, {rep} AS rep, f.amount, f.stage_rank, date_diff('day', f.created_date, c.cut) AS age_days,
           CASE WHEN $staged THEN COALESCE(list_max(list_filter(range(1, len(f.stage_entries) + 1),
                                                                lambda k: f.stage_entries[k] < c.cut)), 1)
           END AS stage_at_cut,
           COALESCE(f.status = 'won' AND f.closed_date < c.stop, FALSE) AS won
    FROM cuts c JOIN facts f ON f.created_date < c.cut
    WHERE (f.status = 'open' OR f.closed_date >= c.cut) AND f.amount IS NOT NULL
    ORDER BY c.i, f.deal_id
"""
