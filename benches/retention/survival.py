"""Kaplan-Meier survival by plan as a pandas user writes it: lifetimes with vectorised
pandas (first start to the end of the first unbroken stretch of subscriptions,
censored at NOW), then lifelines per plan; prints the median lifetimes.
`survival.py SUBSCRIPTIONS.csv NOW`"""
import sys

import pandas as pd
from lifelines import KaplanMeierFitter

s = pd.read_csv(sys.argv[1], parse_dates=["start_date", "end_date"])
now = pd.Timestamp(sys.argv[2])
s = s.sort_values(["customer_id", "start_date"])
end = s["end_date"].fillna(pd.Timestamp.max)
# The latest end so far within the customer, before this row: a start after it breaks.
reach = end.groupby(s["customer_id"]).cummax()
before = reach.groupby(s["customer_id"]).shift()
s["broken"] = (s["start_date"] > before).astype(int).groupby(s["customer_id"]).cumsum()
first = s[s["broken"] == 0].assign(end=end).groupby("customer_id").agg(
    start=("start_date", "first"), end=("end", "max"), plan=("plan", "first"))
first = first[first["start"] <= now]
ended = first["end"] <= now
days = (first["end"].where(ended, now) - first["start"]).dt.days
for plan, idx in first.groupby("plan").groups.items():
    kmf = KaplanMeierFitter().fit(days[idx], ended[idx])
    t = pd.Series([m * 30.4375 for m in range(int(days[idx].max() / 30.4375) + 2)])
    sf = kmf.survival_function_at_times(t)
    ci = kmf.confidence_interval_survival_function_
    print(plan, len(sf), kmf.median_survival_time_ / 30.4375)
