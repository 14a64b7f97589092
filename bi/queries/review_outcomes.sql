-- Outcomes of administrative reviews and lawsuits about disclosure, per statistics year (body reports).
select year,
       sum(review_total) as reviews, sum(review_upheld) as reviews_upheld, sum(review_corrected) as reviews_corrected,
       sum(litigation_direct_total + litigation_after_review_total) as suits,
       sum(litigation_direct_corrected + litigation_after_review_corrected) as suits_corrected
from review_litigation
where scope = 'body'
group by year
order by year;
