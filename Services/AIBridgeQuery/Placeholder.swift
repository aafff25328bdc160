// AIBridgeQuery
