package io.jormundb.engine.catalog;

/** DynamoDB's billing modes; accepted, stored and echoed, with no throttling behind them. */
public enum BillingMode {
    PROVISIONED,
    PAY_PER_REQUEST
}
