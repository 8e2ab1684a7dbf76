{#
    Money that goes out as an investment and comes back as a purchase commitment:
      - pairs (cycle_length 2):   A invests in B, and B commits to buy from A;
      - triangles (length 3):     A invests in B, B pays C (investment or commitment), and C
                                  commits to buy from A.
    Each cycle is listed once, starting at the company whose investment leaves and whose
    commitment comes back (for a triangle that start is unique). Several deals along one edge
    count together.
#}

with

flows as (

    select * from {{ ref('money_flows') }}

),

-- One edge per direction and kind, all its deals together.
typed_edges as (

    select
        from_company,
        to_company,
        flow_type,
        sum(amount_usd) as amount_usd,
        list(deal_id order by first_reported_at, deal_id) as deal_ids,
        {{ dbt.listagg("evidence_sentence", "' / '", "order by first_reported_at, deal_id") }} as evidence
    from flows
    group by from_company, to_company, flow_type

),

investments as (

    select * from typed_edges
    where flow_type = 'investment'

),

commitments as (

    select * from typed_edges
    where flow_type = 'purchase_commitment'

),

pairs as (

    select
        2 as cycle_length,
        investments.from_company as company_a,
        investments.to_company as company_b,
        cast(null as {{ dbt.type_string() }}) as company_c,
        investments.amount_usd as invested_usd,
        commitments.amount_usd as committed_usd,
        investments.deal_ids as investment_deal_ids,
        commitments.deal_ids as commitment_deal_ids,
        investments.evidence || ' / ' || commitments.evidence as evidence
    from investments
    inner join commitments
        on commitments.from_company = investments.to_company
        and commitments.to_company = investments.from_company

),

-- The middle edge of a triangle may be either kind; both kinds between the same two
-- companies are one edge.
middle_edges as (

    select
        from_company,
        to_company,
        sum(amount_usd) filter (where flow_type = 'investment') as invested_usd,
        sum(amount_usd) filter (where flow_type = 'purchase_commitment') as committed_usd,
        flatten(list(deal_ids) filter (where flow_type = 'investment')) as investment_deal_ids,
        flatten(list(deal_ids) filter (where flow_type = 'purchase_commitment')) as commitment_deal_ids,
        {{ dbt.listagg("evidence", "' / '", "order by flow_type") }} as evidence
    from typed_edges
    group by from_company, to_company

),

triangles as (

    select
        3 as cycle_length,
        investments.from_company as company_a,
        investments.to_company as company_b,
        middle_edges.to_company as company_c,
        investments.amount_usd + coalesce(middle_edges.invested_usd, 0) as invested_usd,
        commitments.amount_usd + coalesce(middle_edges.committed_usd, 0) as committed_usd,
        list_concat(investments.deal_ids, coalesce(middle_edges.investment_deal_ids, [])) as investment_deal_ids,
        list_concat(coalesce(middle_edges.commitment_deal_ids, []), commitments.deal_ids) as commitment_deal_ids,
        investments.evidence || ' / ' || middle_edges.evidence || ' / ' || commitments.evidence as evidence
    from investments
    inner join middle_edges
        on middle_edges.from_company = investments.to_company
    inner join commitments
        on commitments.from_company = middle_edges.to_company
        and commitments.to_company = investments.from_company
    where middle_edges.to_company <> investments.from_company
        and middle_edges.to_company <> investments.to_company

),

cycles as (

    select * from pairs
    union all
    select * from triangles

)

select
    {{ dbt.hash(dbt.concat(["cast(cycle_length as " ~ dbt.type_string() ~ ")", "'|'", "company_a", "'|'", "company_b", "'|'", "coalesce(company_c, '')"])) }}
        as cycle_id,
    cycle_length,
    concat_ws(' -> ', company_a, company_b, company_c, company_a) as cycle_path,
    company_a,
    company_b,
    company_c,
    invested_usd,
    committed_usd,
    investment_deal_ids,
    commitment_deal_ids,
    evidence
from cycles
