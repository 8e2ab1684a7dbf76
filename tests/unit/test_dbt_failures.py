from orchestration.dbt_failures import describe_failures


def test_failed_models_and_tests_are_named_with_their_message():
    run_results = {"results": [
        {"unique_id": "model.dealwire.deals", "status": "success", "message": "OK"},
        {"unique_id": "test.dealwire.not_null_deals_deal_id.5f1", "status": "fail", "message": "Got 3 results,\n configured to fail if != 0"},
        {"unique_id": "model.dealwire.capex", "status": "error", "message": "Binder Error: column x not found"},
        {"unique_id": "test.dealwire.assert_under_one_trillion", "status": "warn", "message": "Got 1 result"},
        {"unique_id": "model.dealwire.company_ledger", "status": "skipped", "message": None},
    ]}
    assert describe_failures(run_results) == [
        "test not_null_deals_deal_id failed its test: Got 3 results, configured to fail if != 0",
        "model capex failed: Binder Error: column x not found",
    ]


def test_long_failure_lists_are_cut_with_a_count():
    run_results = {"results": [{"unique_id": f"model.p.m{i}", "status": "error", "message": "x"} for i in range(13)]}
    lines = describe_failures(run_results, limit=10)
    assert len(lines) == 11 and lines[-1].startswith("... and 3 more")


def test_nothing_failed_gives_no_lines():
    assert describe_failures({"results": [{"unique_id": "model.p.m", "status": "success"}]}) == []
    assert describe_failures({}) == []
