-- Share of requests granted in full or in part, per statistics year, over body reports that print both figures.
select year, sum(requests_granted + requests_partially_granted) as granted,
       sum(requests_processed) as processed,
       round(sum(requests_granted + requests_partially_granted) / sum(requests_processed), 4) as grant_rate
from headline
where scope = 'body' and requests_processed is not null and requests_granted is not null
  and requests_partially_granted is not null
group by year
order by year;
