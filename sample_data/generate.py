"""Generate the sample company's six datasets (seeded: the same files every run).

Compas Industrie sells software, maintenance, training and consulting to French businesses:
24 months of activity, Paris and six other regions, three segments, six reps, a funnel close to
100 → 25 → 10 → 6 → 4, and some customers whose basket shrinks before they leave.

    python sample_data/generate.py
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 20250630
FIRST_DAY, LAST_DAY = date(2024, 11, 1), date(2026, 10, 31)
OUT = Path(__file__).parent

REPS = {  # rep → regions they cover
    "Camille Martin": ("Paris",),
    "Julien Bernard": ("Paris",),
    "Sophie Dubois": ("Auvergne-Rhône-Alpes",),
    "Thomas Petit": ("Provence-Alpes-Côte d'Azur", "Occitanie"),
    "Léa Moreau": ("Hauts-de-France", "Grand Est"),
    "Nicolas Laurent": ("Nouvelle-Aquitaine",),
}
REGIONS = {"Paris": 0.34, "Auvergne-Rhône-Alpes": 0.16, "Provence-Alpes-Côte d'Azur": 0.11, "Occitanie": 0.09,
           "Hauts-de-France": 0.11, "Grand Est": 0.08, "Nouvelle-Aquitaine": 0.11}
SEGMENTS = {"PME": (0.6, 420.0), "ETI": (0.3, 1300.0), "Grand compte": (0.1, 3900.0)}  # share, basket
PRODUCTS = {"Logiciel": 0.35, "Maintenance": 0.3, "Formation": 0.2, "Conseil": 0.15}
CHANNELS = {"Direct": 0.6, "Partenaire": 0.25, "Web": 0.15}
SOURCES = {"Prospection": 0.35, "Site web": 0.25, "Salon": 0.15, "Recommandation": 0.15, "LinkedIn": 0.1}
LOST_REASONS = {"Prix": 0.3, "Concurrent": 0.25, "Pas de budget": 0.2, "Pas de réponse": 0.15, "Timing": 0.1}
STAGES = ("Prospect contacté", "Rendez-vous", "Proposition", "Négociation", "Signé")
STAGE_PASS = (0.23, 0.37, 0.60, 0.66)  # probability of passing each transition
SEASON = {1: 0.9, 2: 0.95, 3: 1.05, 4: 1.0, 5: 1.0, 6: 1.1, 7: 0.85, 8: 0.55, 9: 1.1, 10: 1.05, 11: 1.05, 12: 1.2}


def _pick(rng: np.random.Generator, weights: dict, size: int) -> np.ndarray:
    return rng.choice(list(weights), size=size, p=np.array(list(weights.values())) / sum(weights.values()))


def _rep_for(rng: np.random.Generator, region: str) -> str:
    return rng.choice([rep for rep, regions in REPS.items() if region in regions])


def _days() -> list[date]:
    return [FIRST_DAY + timedelta(days=n) for n in range((LAST_DAY - FIRST_DAY).days + 1)]


def customers(rng: np.random.Generator, count: int = 480) -> pd.DataFrame:
    region = _pick(rng, REGIONS, count)
    segment = _pick(rng, {name: share for name, (share, _) in SEGMENTS.items()}, count)
    span = (LAST_DAY - FIRST_DAY).days
    # A third were customers before the data starts; the others arrive over the two years.
    since = np.where(rng.random(count) < 0.35, 0, rng.integers(0, span - 30, count))
    churn_after = rng.exponential(900, count).astype(int)  # days until they leave
    fading = rng.random(count) < 0.45  # leavers whose basket shrinks first
    return pd.DataFrame({
        "customer_id": [f"CL{n:04d}" for n in range(1, count + 1)],
        "region": region, "segment": segment,
        "rep": [_rep_for(rng, r) for r in region],
        "first_day": [FIRST_DAY + timedelta(days=int(d)) for d in since],
        "last_day": [FIRST_DAY + timedelta(days=int(d + c)) for d, c in zip(since, churn_after)],
        "fading": fading,
        "orders_per_month": rng.gamma(4.0, 0.6, count) + 0.6,
        "basket": [SEGMENTS[s][1] * (1.15 if r == "Paris" else 1.0) * rng.lognormal(0, 0.25)
                   for s, r in zip(segment, region)],
    })


def orders(rng: np.random.Generator, clients: pd.DataFrame) -> pd.DataFrame:
    lines, number = [], 0
    for client in clients.itertuples():
        day = client.first_day
        while day <= min(client.last_day, LAST_DAY):
            days_left = (client.last_day - day).days
            fade = 0.8 ** max(0, (150 - days_left) / 30) if client.fading and days_left < 150 else 1.0
            gap = rng.exponential(30 / (client.orders_per_month * (0.6 if fade < 1 else 1.0)))
            day = day + timedelta(days=max(1, int(gap)))
            if day > min(client.last_day, LAST_DAY) or day.weekday() >= 5:
                continue
            if rng.random() > SEASON[day.month] / 1.2:
                continue
            number += 1
            order_id = f"FA{day.year}-{number:05d}"
            total = client.basket * fade * rng.lognormal(0, 0.35)
            line_count = rng.choice([1, 1, 1, 2, 2, 3])
            shares = rng.dirichlet(np.ones(line_count))
            channel = _pick(rng, CHANNELS, 1)[0]
            for share, product in zip(shares, _pick(rng, PRODUCTS, line_count)):
                lines.append((order_id, client.customer_id, day, round(total * share, 2), client.region,
                              client.segment, client.rep, product, channel))
            if rng.random() < 0.02:  # a credit note a few weeks later
                credit_day = min(day + timedelta(days=int(rng.integers(7, 40))), LAST_DAY)
                lines.append((f"AV{credit_day.year}-{number:05d}", client.customer_id, credit_day,
                              -round(total * rng.uniform(0.1, 0.5), 2), client.region, client.segment,
                              client.rep, "Logiciel", channel))
    frame = pd.DataFrame(lines, columns=["order_id", "customer_id", "order_date", "amount", "region", "segment",
                                         "rep", "product", "channel"])
    return frame.sort_values(["order_date", "order_id"], kind="stable").reset_index(drop=True)


def deals(rng: np.random.Generator) -> pd.DataFrame:
    rows, number = [], 0
    for day in _days():
        if day.weekday() >= 5:
            continue
        for _ in range(rng.poisson(18 * SEASON[day.month])):
            number += 1
            region = _pick(rng, REGIONS, 1)[0]
            segment = _pick(rng, {name: share for name, (share, _) in SEGMENTS.items()}, 1)[0]
            boost = 1.12 if region == "Paris" else 1.0
            reached = 1
            while reached < len(STAGES) and rng.random() < min(0.95, STAGE_PASS[reached - 1] * boost):
                reached += 1
            age = (LAST_DAY - day).days
            cycle = int(rng.gamma(3, 12)) + 7 * reached
            closed = day + timedelta(days=cycle)
            if reached == len(STAGES) and closed <= LAST_DAY:
                status = "won"
            elif closed <= LAST_DAY and (reached < 3 or age > 120 or rng.random() < 0.6):
                status = "lost"
            else:
                status, closed = "open", None
            if status == "open" and reached == len(STAGES):
                reached -= 1  # not signed yet
            rows.append((f"OPP-{number:05d}", day, STAGES[reached - 1], status,
                         round(SEGMENTS[segment][1] * 6 * rng.lognormal(0, 0.4), -1),
                         closed, _rep_for(rng, region), region, segment, _pick(rng, SOURCES, 1)[0],
                         _pick(rng, LOST_REASONS, 1)[0] if status == "lost" else None))
    return pd.DataFrame(rows, columns=["deal_id", "created_date", "stage", "status", "amount", "closed_date", "rep",
                                       "region", "segment", "source", "lost_reason"])


def stage_entries(deals: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """HubSpot-style "date entered" columns, one per stage after the first (entering the first is the deal's
    creation): dates spread between creation and close (or the data's last day), the signature on the close
    date. Drawn from their own generator, so the other columns stay as they were."""
    columns = {stage: [] for stage in STAGES[1:]}
    for deal in deals.itertuples():
        reached = STAGES.index(deal.stage) + 1
        end = deal.closed_date if deal.closed_date is not None else LAST_DAY
        steps = sorted(rng.integers(0, (end - deal.created_date).days + 1, size=reached - 1))  # same day possible
        dates = [deal.created_date + timedelta(days=int(step)) for step in steps]
        if deal.status == "won":
            dates[-1] = deal.closed_date
        for position, stage in enumerate(STAGES[1:]):
            columns[stage].append(dates[position] if position < len(dates) else None)
    return deals.assign(**{f"Date d'entrée « {stage} »": values for stage, values in columns.items()})


def activities(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for day in _days():
        if day.weekday() >= 5:
            continue
        for rep in REPS:
            for kind, mean in (("call", 11), ("email", 5), ("meeting", 1.2)):
                for _ in range(rng.poisson(mean * SEASON[day.month])):
                    meeting_set = kind == "call" and rng.random() < 0.08
                    rows.append((day, rep, kind, meeting_set))
    return pd.DataFrame(rows, columns=["activity_date", "rep", "activity_type", "meeting_set"])


def leads(rng: np.random.Generator) -> pd.DataFrame:
    rows, number = [], 0
    for day in _days():
        for _ in range(rng.poisson(9 * SEASON[day.month] * (0.3 if day.weekday() >= 5 else 1))):
            number += 1
            created = pd.Timestamp(day) + pd.Timedelta(minutes=int(rng.integers(7 * 60, 20 * 60)))
            response = created + pd.Timedelta(hours=float(rng.lognormal(1.2, 1.3))) if rng.random() < 0.93 else None
            mql = rng.random() < 0.6
            qualified = mql and rng.random() < 0.5
            region = _pick(rng, REGIONS, 1)[0]
            rows.append((f"LD-{number:05d}", created.strftime("%Y-%m-%d %H:%M"),
                         response.strftime("%Y-%m-%d %H:%M") if response is not None else None,
                         _pick(rng, SOURCES, 1)[0], mql, qualified, qualified and rng.random() < 0.3,
                         _rep_for(rng, region), region,
                         _pick(rng, {name: share for name, (share, _) in SEGMENTS.items()}, 1)[0]))
    return pd.DataFrame(rows, columns=["lead_id", "created_at", "first_response_at", "source", "is_mql",
                                       "is_qualified", "converted", "rep", "region", "segment"])


def spend(rng: np.random.Generator) -> pd.DataFrame:
    months = pd.date_range(FIRST_DAY, LAST_DAY, freq="MS")
    budget = {"Salaires commerciaux": 68000, "Publicité en ligne": 9000, "Salons": 6000, "Outils": 2500}
    return pd.DataFrame([(month.date(), category, round(base * rng.uniform(0.85, 1.15), 2))
                         for month in months for category, base in budget.items()],
                        columns=["month", "category", "amount"])


def targets(order_lines: pd.DataFrame) -> pd.DataFrame:
    """Monthly revenue targets per rep: last year's run rate plus 10 %, rounded like a manager would; set for
    the whole year, so the months still to come have theirs."""
    by_rep = order_lines.groupby("rep")["amount"].sum() / 24
    months = pd.date_range(FIRST_DAY, f"{LAST_DAY.year}-12-01", freq="MS")
    return pd.DataFrame([(month.date(), rep, round(by_rep[rep] * 1.1 * SEASON[month.month], -3), "revenue")
                         for month in months for rep in REPS], columns=["period", "rep", "target", "kpi"])


def main() -> None:
    rng = np.random.default_rng(SEED)
    clients = customers(rng)
    order_lines = orders(rng, clients)
    datasets = {
        "orders": order_lines, "deals": deals(rng), "activities": activities(rng), "leads": leads(rng),
        "spend": spend(rng), "targets": targets(order_lines),
    }
    # Maintenance is sold as a subscription: those lines are recurring revenue (ARR).
    datasets["orders"] = order_lines.assign(abonnement=(order_lines["product"] == "Maintenance").map(
        {True: "oui", False: "non"}))
    datasets["deals"] = stage_entries(datasets["deals"], np.random.default_rng(SEED + 1))
    for name, frame in datasets.items():
        frame.to_csv(OUT / f"{name}.csv", index=False)
        print(f"{name}: {len(frame)} rows")


if __name__ == "__main__":
    main()
