-- The input of the tests of the package's generic tests: diag_events (2026-11-16..30; none on 11-27, one row on
-- 11-29; on 11-30 three null amounts and a new status 'refunded').
select * from {{ ref('diag_events') }}
