-- Bodies expected to publish a report that have none in the warehouse, per partition.
select year, region, expected_because, body_name, division_code
from coverage
where not found
order by year, region, expected_because, division_code nulls last, body_name;
