-- Applications received per province and statistics year, by the bodies reporting on themselves.
-- One scope only: jurisdiction roll-ups contain these body reports and would count them twice.
select year, region, count(*) as reports, sum(requests_received) as requests_received,
       count(requests_received) as reports_stating_it
from headline
where scope = 'body'
group by year, region
order by year, region;
