-- One row per company taking part in a deal: every investor named by any of its mentions (a
-- round several investors join lists them all) and the target.

with

mentions as (

    select * from {{ ref('int_deal_mentions__clustered') }}

),

deals as (

    select * from {{ ref('deals') }}

),

investor_mentions as (

    select
        deal_id,
        investor as company,
        investor_is_known as is_known,
        mention_id,
        reported_at,
        deal_type,
        qualifier,
        amount_usd,
        usd_source,
        evidence,
        url
    from mentions
    where investor is not null

),

-- What one investor put in: the figure of its own stake (a mention that is not the round's
-- total) when one is reported, best a point, stated in USD, latest.
own_stake as (

    select
        deal_id,
        company,
        amount_usd
    from investor_mentions
    where deal_type is distinct from 'funding_round'
        and amount_usd is not null
    qualify row_number() over (
        partition by deal_id, company
        order by
            coalesce(qualifier, 'exact') in ('exact', 'approx') desc,
            usd_source = 'stated' desc,
            reported_at desc,
            mention_id
    ) = 1

),

-- The sentence that best shows the investor's part: one with an amount, latest.
investor_evidence as (

    select
        deal_id,
        company,
        evidence,
        url
    from investor_mentions
    qualify row_number() over (
        partition by deal_id, company
        order by amount_usd is not null desc, reported_at desc, mention_id
    ) = 1

),

investors as (

    select
        investor_mentions.deal_id,
        investor_mentions.company,
        'investor' as role,
        bool_or(investor_mentions.is_known) as is_known,
        count(*) as n_mentions,
        min(investor_mentions.reported_at) as first_reported_at
    from investor_mentions
    group by investor_mentions.deal_id, investor_mentions.company

),

investors_with_amounts as (

    select
        investors.*,
        -- Without its own stake, an investor alone in a deal put in the deal's amount; one of
        -- several in a round put in an unknown share.
        case
            when own_stake.amount_usd is not null then own_stake.amount_usd
            when deals.n_investors = 1 then deals.amount_usd
        end as amount_usd,
        investor_evidence.evidence as evidence_sentence,
        investor_evidence.url as article_url
    from investors
    inner join deals
        on deals.deal_id = investors.deal_id
    left join own_stake
        on own_stake.deal_id = investors.deal_id
        and own_stake.company = investors.company
    left join investor_evidence
        on investor_evidence.deal_id = investors.deal_id
        and investor_evidence.company = investors.company

),

targets as (

    select
        deals.deal_id,
        deals.target as company,
        'target' as role,
        deals.target_is_known as is_known,
        deals.n_mentions,
        deals.first_reported_at,
        deals.amount_usd,
        deals.evidence_sentence,
        deals.latest_url as article_url
    from deals
    where deals.target is not null

),

unioned as (

    select
        deal_id,
        company,
        role,
        is_known,
        n_mentions,
        first_reported_at,
        amount_usd,
        evidence_sentence,
        article_url
    from investors_with_amounts

    union all

    select
        deal_id,
        company,
        role,
        is_known,
        n_mentions,
        first_reported_at,
        amount_usd,
        evidence_sentence,
        article_url
    from targets

)

select
    {{ dbt.hash(dbt.concat(["deal_id", "'|'", "role", "'|'", "company"])) }} as participant_id,
    *
from unioned
