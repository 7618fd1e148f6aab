-- The same counted edges seen from three marts.
SELECT
    (SELECT coalesce(sum(direct_spillovers), 0) FROM marts.mart_spillovers) AS edges_by_initiative,
    (SELECT coalesce(sum(spillovers_originated + internal_spillovers), 0) FROM marts.mart_org_spillovers)
        AS edges_by_parent_org,
    (SELECT coalesce(sum(spillover_edges), 0) FROM marts.mart_consortium_monthly) AS edges_by_month,
    (SELECT coalesce(sum(spillovers_received), 0) FROM marts.mart_org_spillovers) AS cross_received,
    (SELECT coalesce(sum(spillovers_originated), 0) FROM marts.mart_org_spillovers) AS cross_originated,
    (SELECT coalesce(sum(cross_org_spillover_edges), 0) FROM marts.mart_consortium_monthly) AS cross_by_month;
