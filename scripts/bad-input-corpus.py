#!/usr/bin/env python3
"""Writes api/src/test/resources/bad-input/corpus.jsonl: malformed and hostile requests, one JSON
object a line, each with what JormunDB must answer. BadInputCorpusTest replays them against the
real server (whose seeded tables are named below) and checks the answers and that no data changed.

A case is {"name", "category", "status", "type", and either
  "method", "path", "headers", "body" (text) or "bodyBase64" (bytes), sent with a Content-Length,
or "raw": the whole request as sent on the socket, one character a byte (framing cases)}.
"type" is the error name: after '#' in DynamoDB's __type on "/", the "error" member elsewhere.
In "body" and "raw", {{repeat N c}} stands for the character c N times (runs of 1,000 and more),
so that the corpus stays small and readable.

Run: python3 scripts/bad-input-corpus.py   (deterministic; check the output in)
"""
import base64
import json
import os
import re

OUT = os.path.join(os.path.dirname(__file__), "..", "api", "src", "test", "resources", "bad-input", "corpus.jsonl")
D = "DynamoDB_20120810."
S = "DynamoDBStreams_20120810."
STREAM_ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/seed/stream/2020-01-01T00:00:00.000"
cases = []


def add(name, category, target, body, status=400, type_=None, content_type="application/x-amz-json-1.0",
        headers=None, path="/", method="POST"):
    h = {}
    if content_type is not None:
        h["Content-Type"] = content_type
    if target is not None:
        h["X-Amz-Target"] = target
    h.update(headers or {})
    case = {"name": name, "category": category, "method": method, "path": path, "headers": h,
            "status": status, "type": type_}
    if isinstance(body, bytes):
        case["bodyBase64"] = base64.b64encode(body).decode()
    elif isinstance(body, str):
        case["body"] = body
    else:
        case["body"] = json.dumps(body, ensure_ascii=False)
    cases.append(case)


def raw(name, category, data, status=400, type_=None, shape=None):
    case = {"name": name, "category": category, "raw": data, "status": status, "type": type_}
    if shape:
        case["shape"] = shape  # a request refused before its path was read answers DynamoDB's shape
    cases.append(case)


RUN = re.compile(r"(.)\1{999,}", re.S)
def compress(text):
    assert "{{repeat" not in text
    return RUN.sub(lambda m: "{{repeat %d %s}}" % (len(m.group(0)), m.group(1)), text)


SER, VAL = "SerializationException", "ValidationException"
KEY = {"pk": {"S": "a"}, "sk": {"N": "1"}}
NEW_ITEM = {"pk": {"S": "corpus-new"}, "sk": {"N": "1"}, "v": {"S": "x"}}

# Valid requests (every one would change data or answer 200): each case breaks one thing.
BASE = {
    "CreateTable": {"TableName": "corpus_new", "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                    "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}], "BillingMode": "PAY_PER_REQUEST",
                    "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
                    "Tags": [{"Key": "k", "Value": "v"}], "DeletionProtectionEnabled": False,
                    "TableClass": "STANDARD"},
    "DeleteTable": {"TableName": "plain"},
    "DescribeTable": {"TableName": "seed"},
    "ListTables": {"ExclusiveStartTableName": "a", "Limit": 10},
    "UpdateTable": {"TableName": "plain", "BillingMode": "PAY_PER_REQUEST", "DeletionProtectionEnabled": True,
                    "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}},
    "PutItem": {"TableName": "seed", "Item": NEW_ITEM, "ConditionExpression": "attribute_not_exists(pk)",
                "ExpressionAttributeNames": {"#v": "v"}, "ExpressionAttributeValues": {":v": {"S": "x"}},
                "ReturnValues": "NONE", "ReturnConsumedCapacity": "NONE", "ReturnItemCollectionMetrics": "NONE",
                "ReturnValuesOnConditionCheckFailure": "NONE"},
    "GetItem": {"TableName": "seed", "Key": KEY, "ConsistentRead": True, "ProjectionExpression": "#v",
                "ExpressionAttributeNames": {"#v": "v"}, "ReturnConsumedCapacity": "NONE"},
    "UpdateItem": {"TableName": "seed", "Key": KEY, "UpdateExpression": "SET #v = :v",
                   "ConditionExpression": "attribute_exists(pk)", "ExpressionAttributeNames": {"#v": "v"},
                   "ExpressionAttributeValues": {":v": {"S": "changed"}}, "ReturnValues": "ALL_NEW",
                   "ReturnConsumedCapacity": "NONE"},
    "DeleteItem": {"TableName": "seed", "Key": KEY, "ConditionExpression": "attribute_exists(pk)",
                   "ExpressionAttributeNames": {"#p": "pk"}, "ReturnValues": "ALL_OLD",
                   "ReturnConsumedCapacity": "NONE"},
    "Query": {"TableName": "seed", "KeyConditionExpression": "pk = :p", "FilterExpression": "#v <> :x",
              "ProjectionExpression": "#v", "ExpressionAttributeNames": {"#v": "v"},
              "ExpressionAttributeValues": {":p": {"S": "a"}, ":x": {"S": "zz"}}, "Limit": 5,
              "ScanIndexForward": False, "ConsistentRead": False, "Select": "SPECIFIC_ATTRIBUTES",
              "ExclusiveStartKey": KEY, "ReturnConsumedCapacity": "NONE"},
    "Scan": {"TableName": "seed", "FilterExpression": "#v <> :x", "ExpressionAttributeNames": {"#v": "v"},
             "ExpressionAttributeValues": {":x": {"S": "zz"}}, "Limit": 5, "Segment": 0, "TotalSegments": 2,
             "Select": "ALL_ATTRIBUTES", "ConsistentRead": True, "ExclusiveStartKey": KEY,
             "ReturnConsumedCapacity": "NONE"},
    "BatchGetItem": {"RequestItems": {"seed": {"Keys": [KEY], "ConsistentRead": True}},
                     "ReturnConsumedCapacity": "NONE"},
    "BatchWriteItem": {"RequestItems": {"seed": [{"PutRequest": {"Item": NEW_ITEM}}]},
                       "ReturnConsumedCapacity": "NONE", "ReturnItemCollectionMetrics": "NONE"},
    "TransactWriteItems": {"TransactItems": [{"Put": {"TableName": "seed", "Item": NEW_ITEM}}],
                           "ClientRequestToken": "corpus-token", "ReturnConsumedCapacity": "NONE"},
    "TransactGetItems": {"TransactItems": [{"Get": {"TableName": "seed", "Key": KEY}}],
                         "ReturnConsumedCapacity": "NONE"},
    "UpdateTimeToLive": {"TableName": "plain",
                         "TimeToLiveSpecification": {"Enabled": True, "AttributeName": "ttl"}},
    "DescribeTimeToLive": {"TableName": "seed"},
    "TagResource": {"ResourceArn": "arn:aws:dynamodb:us-east-1:000000000000:table/plain",
                    "Tags": [{"Key": "k", "Value": "v"}]},
    "UntagResource": {"ResourceArn": "arn:aws:dynamodb:us-east-1:000000000000:table/seed", "TagKeys": ["env"]},
    "ListTagsOfResource": {"ResourceArn": "arn:aws:dynamodb:us-east-1:000000000000:table/seed"},
    "UpdateContinuousBackups": {"TableName": "plain",
                                "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True}},
    "DescribeContinuousBackups": {"TableName": "seed"},
}
STREAMS_BASE = {
    "ListStreams": {"TableName": "seed", "Limit": 5},
    "DescribeStream": {"StreamArn": STREAM_ARN, "Limit": 5},
    "GetShardIterator": {"StreamArn": STREAM_ARN, "ShardId": "shardId-00000000000000000000-00000000",
                         "ShardIteratorType": "TRIM_HORIZON"},
    "GetRecords": {"ShardIterator": "iterator", "Limit": 5},
}

# The JSON type each member must have: S string, N number, B boolean, M object, L array.
TYPES = {
    "TableName": "S", "AttributeDefinitions": "L", "KeySchema": "L", "BillingMode": "S",
    "StreamSpecification": "M", "Tags": "L", "DeletionProtectionEnabled": "B", "TableClass": "S",
    "ProvisionedThroughput": "M", "GlobalSecondaryIndexes": "L", "LocalSecondaryIndexes": "L",
    "ExclusiveStartTableName": "S", "Limit": "N", "GlobalSecondaryIndexUpdates": "L",
    "Item": "M", "ConditionExpression": "S", "ExpressionAttributeNames": "M", "ExpressionAttributeValues": "M",
    "ReturnValues": "S", "ReturnConsumedCapacity": "S", "ReturnItemCollectionMetrics": "S",
    "ReturnValuesOnConditionCheckFailure": "S", "Key": "M", "ConsistentRead": "B", "ProjectionExpression": "S",
    "UpdateExpression": "S", "KeyConditionExpression": "S", "FilterExpression": "S", "ScanIndexForward": "B",
    "Select": "S", "ExclusiveStartKey": "M", "Segment": "N", "TotalSegments": "N", "RequestItems": "M",
    "TransactItems": "L", "ClientRequestToken": "S", "TimeToLiveSpecification": "M", "ResourceArn": "S",
    "TagKeys": "L", "PointInTimeRecoverySpecification": "M", "StreamArn": "S", "ShardId": "S",
    "ShardIteratorType": "S", "ShardIterator": "S", "AttributesToGet": "L", "IndexName": "S", "ScanFilter": "M",
    "KeyConditions": "M", "Expected": "M", "AttributeUpdates": "M",
}
WRONG = {"S": [5, True, {"S": "seed"}], "N": ["5", True, [5]], "B": ["true", 1, {}],
         "M": ["x", 1, []], "L": ["x", 1, {}]}
NAMES = {str: "a string", int: "a number", bool: "a boolean", dict: "an object", list: "an array", float: "a number"}

# Members a valid base leaves out (they would need more around them), broken all the same.
OPTIONAL = {"CreateTable": ["ProvisionedThroughput", "GlobalSecondaryIndexes", "LocalSecondaryIndexes"],
            "UpdateTable": ["GlobalSecondaryIndexUpdates", "AttributeDefinitions"],
            "GetItem": ["AttributesToGet"], "Scan": ["IndexName"], "Query": ["IndexName"]}
# Legacy members, broken beside only what they need (beside an expression they are refused for that).
LEGACY = {"PutItem": ("Expected", {"TableName": "seed", "Item": NEW_ITEM}),
          "UpdateItem": ("AttributeUpdates", {"TableName": "seed", "Key": KEY}),
          "DeleteItem": ("Expected", {"TableName": "seed", "Key": KEY}),
          "Query": ("KeyConditions", {"TableName": "seed"}), "Scan": ("ScanFilter", {"TableName": "seed"}),
          "GetItem": ("AttributesToGet", {"TableName": "seed", "Key": KEY})}

# ---- wrong JSON types at every member of every operation
for prefix, bases in ((D, BASE), (S, STREAMS_BASE)):
    for op, base in bases.items():
        for member in list(base) + OPTIONAL.get(op, []):
            for wrong in WRONG[TYPES[member]]:
                body = dict(base)
                body[member] = wrong
                add(f"{op}: {member} as {NAMES[type(wrong)]}", "wrong-type", prefix + op, body, type_=SER)
for op, (member, base) in LEGACY.items():
    for wrong in WRONG[TYPES[member]]:
        add(f"{op}: legacy {member} as {NAMES[type(wrong)]}", "wrong-type", D + op, dict(base, **{member: wrong}),
            type_=SER)
# ---- missing required members: a ValidationException naming the member
for op, member in (("PutItem", "TableName"), ("PutItem", "Item"), ("GetItem", "Key"), ("UpdateItem", "Key"),
                   ("DeleteItem", "TableName"), ("Query", "TableName"), ("Scan", "TableName"),
                   ("CreateTable", "KeySchema"), ("CreateTable", "AttributeDefinitions"),
                   ("BatchWriteItem", "RequestItems"), ("BatchGetItem", "RequestItems"),
                   ("TransactWriteItems", "TransactItems"), ("UpdateTimeToLive", "TimeToLiveSpecification"),
                   ("TagResource", "ResourceArn"), ("TagResource", "Tags")):
    body = dict(BASE[op])
    del body[member]
    add(f"{op}: no {member}", "missing-member", D + op, body, type_=VAL)

# ---- null as an element of every list of structures or strings: a 400, never a 500
NULL_IN_LISTS = [(op, member, base) for op, base in BASE.items() for member in base if TYPES.get(member) == "L"]
NULL_IN_LISTS += [("BatchGetItem", "RequestItems.seed.Keys", BASE["BatchGetItem"]),
                  ("BatchWriteItem", "RequestItems.seed", BASE["BatchWriteItem"])]
for op, path, base in NULL_IN_LISTS:
    for name, where in (("alone", lambda items: [None]), ("after a valid one", lambda items: items + [None])):
        body = json.loads(json.dumps(base))
        *outer, last = path.split(".")
        container = body
        for member in outer:
            container = container[member]
        container[last] = where(container[last])
        # A list of strings holds no null (a wrong JSON type); a list of structures misses a member.
        add(f"{op}: null in {path}, {name}", "null-in-list", D + op, body, type_=SER if path == "TagKeys" else VAL)

# ---- broken JSON
for name, text in (("empty body", ""), ("an opening brace", "{"), ("a closing brace", "}"),
                   ("an array", "[]"), ("null", "null"), ("true", "true"), ("a number", "1"),
                   ("a string", '"GetItem"'), ("a member without a value", '{"TableName":}'),
                   ("single quotes", "{'TableName':'seed'}"), ("a trailing comma", '{"TableName":"seed",}'),
                   ("two objects", '{} {}'), ("trailing garbage", '{"TableName":"seed"}x'),
                   ("an unquoted name", '{TableName:"seed"}'), ("a comment", '/* c */ {"TableName":"seed"}'),
                   ("NaN as a literal", '{"TableName":"seed","Key":{"pk":{"N":NaN}}}'),
                   ("Infinity as a literal", '{"Limit":Infinity}'),
                   ("a raw control character", '{"TableName":"se\u0001ed"}'),
                   ("a bad escape", '{"TableName":"\\x41"}'), ("a truncated \\u escape", '{"TableName":"\\u12"}'),
                   ("an unterminated string", '{"TableName":"seed'), ("a missing colon", '{"TableName" "seed"}'),
                   ("a number with a leading zero", '{"Limit":01}'), ("a hexadecimal number", '{"Limit":0x10}'),
                   ("a plus sign", '{"Limit":+1}'), ("whitespace only", "   \r\n\t "),
                   ("a lone minus", '{"Limit":-}'), ("an unclosed array", '{"AttributesToGet":["a"'),
                   ("a byte order mark and garbage", "\ufeff{x"), ("XML", "<GetItem><TableName>seed</TableName></GetItem>"),
                   ("form encoding", "TableName=seed&Key=a")):
    add(f"broken JSON: {name}", "broken-json", D + "GetItem", text, type_=SER)

# ---- numbers
for name, n in (("NaN", "NaN"), ("Infinity", "Infinity"), ("-Infinity", "-Infinity"), ("inf", "inf"),
                ("1E+126", "1E+126"), ("-1E+126", "-1E+126"), ("1E-131", "1E-131"), ("empty", ""), ("blank", " "),
                ("a trailing space", "1 "), ("hexadecimal", "0x1F"), ("two points", "1.2.3"), ("two minus signs", "--1"),
                ("a bare exponent", "1e"), ("an exponent alone", "e5"), ("a point alone", "."),
                ("a thousands separator", "1,000"), ("39 significant digits", "1" * 39),
                ("a million digits", "9" * 1_000_000), ("an exponent of a billion", "1E1000000000"),
                ("letters", "one")):
    item = dict(NEW_ITEM)
    item["n"] = {"N": n}
    add(f"number: {name} in an item", "numbers", D + "PutItem", {"TableName": "seed", "Item": item}, type_=VAL)
add("number: NaN in a key", "numbers", D + "GetItem", {"TableName": "seed", "Key": {"pk": {"S": "a"}, "sk": {"N": "NaN"}}},
    type_=VAL)
add("number: NaN in a number set", "numbers", D + "PutItem",
    {"TableName": "seed", "Item": dict(NEW_ITEM, ns={"NS": ["1", "NaN"]})}, type_=VAL)
add("number: 1 and 1.0 in one number set", "numbers", D + "PutItem",
    {"TableName": "seed", "Item": dict(NEW_ITEM, ns={"NS": ["1", "1.0"]})}, type_=VAL)
add("number: an expression value 1E+126", "numbers", D + "UpdateItem",
    dict(BASE["UpdateItem"], ExpressionAttributeValues={":v": {"N": "1E+126"}}), type_=VAL)
for name, limit in (("zero", 0), ("negative", -1), ("a fraction", 1.5), ("beyond a long", 99999999999999999999999),
                    ("1e400", "1e400")):
    body = '{"TableName":"seed","Limit":%s}' % limit
    add(f"number: Limit {name}", "numbers", D + "Scan", body, type_=VAL if name in ("zero", "negative") else SER)
add("number: N given as a JSON number", "numbers", D + "PutItem",
    {"TableName": "seed", "Item": dict(NEW_ITEM, n={"N": 5})}, type_=SER)

# ---- invalid UTF-8 and lone surrogates
def utf8_case(name, bad):
    body = b'{"TableName":"seed","Item":{"pk":{"S":"' + bad + b'"},"sk":{"N":"1"}}}'
    add(f"invalid UTF-8: {name}", "unicode", D + "PutItem", body, type_=VAL)
for name, bad in (("C3 28", b"\xc3\x28"), ("A0 A1", b"\xa0\xa1"), ("E2 28 A1", b"\xe2\x28\xa1"),
                  ("F0 28 8C BC", b"\xf0\x28\x8c\xbc"), ("a five-byte form", b"\xf8\xa1\xa1\xa1\xa1"),
                  ("an overlong slash C0 AF", b"\xc0\xaf"), ("a surrogate encoded ED A0 80", b"\xed\xa0\x80"),
                  ("FF", b"\xff"), ("FE", b"\xfe"), ("a truncated E2 82", b"\xe2\x82"),
                  ("beyond U+10FFFF F4 90 80 80", b"\xf4\x90\x80\x80")):
    utf8_case(name, bad)
add("invalid UTF-8: in a member name", "unicode", D + "GetItem", b'{"Table\xffName":"seed"}', type_=VAL)
for name, esc in (("\\ud800", "\\ud800"), ("\\udfff", "\\udfff"), ("\\ud800 then x", "\\ud800x"),
                  ("a reversed pair", "\\udc00\\ud800"), ("\\udbff at the end", "ab\\udbff")):
    add(f"lone surrogate {name} in a sort key", "unicode", D + "PutItem",
        '{"TableName":"seed","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"s":{"S":"%s"}}}' % esc, type_=VAL)
add("lone surrogate in an attribute name", "unicode", D + "PutItem",
    '{"TableName":"seed","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"\\ud800":{"S":"x"}}}', type_=VAL)
add("lone surrogate in a table name", "unicode", D + "DescribeTable", '{"TableName":"se\\udfffed"}', type_=VAL)
add("lone surrogate in an expression", "unicode", D + "UpdateItem",
    json.dumps(dict(BASE["UpdateItem"], UpdateExpression="SET #v = :v")).replace("SET #v", "SET \\ud800#v"), type_=VAL)

# ---- bad base64
for name, b in (("no padding", "Zg"), ("one pad short", "Zm8"), ("a pad too many", "Zg==="), ("stars", "****"),
                ("a space", "Zm 9v"), ("a newline", "Zm9v\n"), ("non-canonical Zh==", "Zh=="),
                ("padding in the middle", "Zg==Zg=="), ("URL-safe alphabet", "-_-_"), ("a lone pad", "=")):
    add(f"base64: {name}", "base64", D + "PutItem",
        {"TableName": "seed", "Item": dict(NEW_ITEM, b={"B": b})}, type_=SER)
add("base64: bad in a binary set", "base64", D + "PutItem",
    {"TableName": "seed", "Item": dict(NEW_ITEM, bs={"BS": ["Zg==", "Zg"]})}, type_=SER)
add("base64: bad in an expression value", "base64", D + "UpdateItem",
    dict(BASE["UpdateItem"], ExpressionAttributeValues={":v": {"B": "***"}}), type_=SER)

# ---- attribute values
for name, value, t in (("an empty value", {}, VAL), ("two types", {"S": "a", "N": "1"}, VAL),
                       ("an unknown type", {"X": "a"}, SER), ("NULL false", {"NULL": False}, VAL),
                       ("BOOL as a string", {"BOOL": "true"}, SER), ("S as a number", {"S": 5}, SER),
                       ("L as an object", {"L": {}}, SER), ("M as an array", {"M": []}, SER),
                       ("SS as a string", {"SS": "a"}, SER), ("an empty SS", {"SS": []}, VAL),
                       ("SS with duplicates", {"SS": ["a", "a"]}, VAL), ("NS of letters", {"NS": ["x"]}, VAL),
                       ("SS of numbers", {"SS": [1]}, SER), ("null as the value", None, SER)):
    add(f"attribute value: {name}", "values", D + "PutItem",
        {"TableName": "seed", "Item": dict(NEW_ITEM, a=value)}, type_=t)

# ---- deep nesting
add("nesting: 5,000 nested arrays", "nesting", D + "GetItem", "[" * 5000 + "]" * 5000, type_=VAL)
add("nesting: 3,000 nested objects", "nesting", D + "GetItem", '{"a":' * 3000 + "1" + "}" * 3000, type_=VAL)
def nested_map(depth):
    v = {"S": "x"}
    for _ in range(depth):
        v = {"M": {"a": v}}
    return v
def nested_list(depth):
    v = {"S": "x"}
    for _ in range(depth):
        v = {"L": [v]}
    return v
add("nesting: a map 33 levels deep in PutItem", "nesting", D + "PutItem",
    {"TableName": "seed", "Item": dict(NEW_ITEM, deep=nested_map(33))}, type_=VAL)
add("nesting: a list 40 levels deep in PutItem", "nesting", D + "PutItem",
    {"TableName": "seed", "Item": dict(NEW_ITEM, deep=nested_list(40))}, type_=VAL)
add("nesting: a map 33 levels deep by UpdateItem", "nesting", D + "UpdateItem",
    dict(BASE["UpdateItem"], ExpressionAttributeValues={":v": nested_map(33)}), type_=VAL)
add("nesting: a map 33 levels deep in BatchWriteItem", "nesting", D + "BatchWriteItem",
    {"RequestItems": {"seed": [{"PutRequest": {"Item": dict(NEW_ITEM, deep=nested_map(33))}}]}}, type_=VAL)
add("nesting: a map 33 levels deep in TransactWriteItems", "nesting", D + "TransactWriteItems",
    {"TransactItems": [{"Put": {"TableName": "seed", "Item": dict(NEW_ITEM, deep=nested_map(33))}}]}, type_=VAL)
add("nesting: a document path 40 levels deep", "nesting", D + "UpdateItem",
    dict(BASE["UpdateItem"], UpdateExpression="SET " + ".".join(["a"] * 40) + " = :v",
         ExpressionAttributeNames=None), type_=VAL)
cases[-1]["body"] = json.dumps({k: v for k, v in json.loads(cases[-1]["body"]).items() if v is not None})

# ---- empty and oversized names
for op in ("DescribeTable", "PutItem", "GetItem", "Query", "Scan", "DeleteTable", "UpdateItem", "CreateTable"):
    for name, table in (("empty", ""), ("two characters", "ab"), ("256 characters", "t" * 256),
                        ("with a space", "bad name"), ("non-ASCII", "täble")):
        add(f"table name {name} in {op}", "names", D + op, dict(BASE[op], TableName=table), type_=VAL)
add("attribute name: empty in an item", "names", D + "PutItem",
    {"TableName": "seed", "Item": {**NEW_ITEM, "": {"S": "x"}}}, type_=VAL)
add("attribute name: 65,536 bytes", "names", D + "PutItem",
    {"TableName": "seed", "Item": {**NEW_ITEM, "n" * 65536: {"S": "x"}}}, type_=VAL)
add("key: a partition key of 2,049 bytes", "names", D + "PutItem",
    {"TableName": "seed", "Item": {"pk": {"S": "p" * 2049}, "sk": {"N": "1"}}}, type_=VAL)
add("key: a sort key of 1,025 bytes", "names", D + "PutItem",
    {"TableName": "ranged", "Item": {"id": {"S": "a"}, "rk": {"S": "r" * 1025}}}, type_=VAL)
add("key: an empty partition key", "names", D + "PutItem",
    {"TableName": "seed", "Item": {"pk": {"S": ""}, "sk": {"N": "1"}}}, type_=VAL)
add("key: a partition key of the wrong type", "names", D + "PutItem",
    {"TableName": "seed", "Item": {"pk": {"N": "1"}, "sk": {"N": "1"}}}, type_=VAL)
add("key: an extra attribute in a Key", "names", D + "GetItem",
    {"TableName": "seed", "Key": dict(KEY, other={"S": "x"})}, type_=VAL)
add("key: a missing sort key", "names", D + "DeleteItem", {"TableName": "seed", "Key": {"pk": {"S": "a"}}}, type_=VAL)
add("index name: empty", "names", D + "Query", dict(BASE["Query"], IndexName=""), type_=VAL)
add("index name: 256 characters", "names", D + "Query", dict(BASE["Query"], IndexName="i" * 256), type_=VAL)
add("index name: unknown", "names", D + "Query", dict(BASE["Query"], IndexName="nope"), type_=VAL)
add("expression attribute name: without #", "names", D + "GetItem",
    dict(BASE["GetItem"], ExpressionAttributeNames={"v": "v"}, ProjectionExpression="v"), type_=VAL)
add("expression attribute name: an empty value", "names", D + "GetItem",
    dict(BASE["GetItem"], ExpressionAttributeNames={"#v": ""}), type_=VAL)
add("expression attribute value: without :", "names", D + "UpdateItem",
    dict(BASE["UpdateItem"], ExpressionAttributeValues={"v": {"S": "x"}}), type_=VAL)
add("expression attribute names: 5,000 unused", "names", D + "GetItem",
    dict(BASE["GetItem"], ExpressionAttributeNames={f"#n{i}": "a" for i in range(5000)}), type_=VAL)
add("CreateTable: an attribute definition named empty", "names", D + "CreateTable",
    dict(BASE["CreateTable"], AttributeDefinitions=[{"AttributeName": "", "AttributeType": "S"}],
         KeySchema=[{"AttributeName": "", "KeyType": "HASH"}]), type_=VAL)
add("CreateTable: the attribute type X", "names", D + "CreateTable",
    dict(BASE["CreateTable"], AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "X"}]), type_=VAL)
add("CreateTable: the key type RANGE only", "names", D + "CreateTable",
    dict(BASE["CreateTable"], KeySchema=[{"AttributeName": "id", "KeyType": "RANGE"}]), type_=VAL)
add("CreateTable: an existing table", "names", D + "CreateTable", dict(BASE["CreateTable"], TableName="seed"),
    type_="ResourceInUseException")
add("AttributesToGet: empty", "names", D + "GetItem",
    {"TableName": "seed", "Key": KEY, "AttributesToGet": []}, type_=VAL)
add("ClientRequestToken: 37 characters", "names", D + "TransactWriteItems",
    dict(BASE["TransactWriteItems"], ClientRequestToken="c" * 37), type_=VAL)
add("ClientRequestToken: empty", "names", D + "TransactWriteItems",
    dict(BASE["TransactWriteItems"], ClientRequestToken=""), type_=VAL)
for name, v in (("ReturnValues BOGUS", {"ReturnValues": "BOGUS"}), ("ReturnValues ALL_NEW", {"ReturnValues": "ALL_NEW"}),
                ("ReturnValues empty", {"ReturnValues": ""}),
                ("ReturnConsumedCapacity BOGUS", {"ReturnConsumedCapacity": "BOGUS"})):
    add(f"PutItem: {name}", "enums", D + "PutItem", dict(BASE["PutItem"], **v), type_=VAL)
add("Scan: Select BOGUS", "enums", D + "Scan", dict(BASE["Scan"], Select="BOGUS"), type_=VAL)
add("CreateTable: BillingMode BOGUS", "enums", D + "CreateTable", dict(BASE["CreateTable"], BillingMode="BOGUS"),
    type_=VAL)
add("CreateTable: TableClass BOGUS", "enums", D + "CreateTable", dict(BASE["CreateTable"], TableClass="BOGUS"),
    type_=VAL)
add("CreateTable: StreamViewType BOGUS", "enums", D + "CreateTable",
    dict(BASE["CreateTable"], StreamSpecification={"StreamEnabled": True, "StreamViewType": "BOGUS"}), type_=VAL)
add("DeleteTable: a protected table", "enums", D + "DeleteTable", {"TableName": "protected"}, type_=VAL)
add("DeleteTable: a table that does not exist", "enums", D + "DeleteTable", {"TableName": "nope"},
    type_="ResourceNotFoundException")
add("BatchWriteItem: 26 requests", "enums", D + "BatchWriteItem",
    {"RequestItems": {"seed": [{"PutRequest": {"Item": dict(NEW_ITEM, pk={"S": f"b{i}"})}} for i in range(26)]}},
    type_=VAL)
add("BatchWriteItem: one item twice", "enums", D + "BatchWriteItem",
    {"RequestItems": {"seed": [{"PutRequest": {"Item": NEW_ITEM}}, {"PutRequest": {"Item": NEW_ITEM}}]}}, type_=VAL)
add("BatchWriteItem: an empty request", "enums", D + "BatchWriteItem", {"RequestItems": {"seed": [{}]}}, type_=VAL)
add("TransactWriteItems: one item twice", "enums", D + "TransactWriteItems",
    {"TransactItems": [{"Put": {"TableName": "seed", "Item": NEW_ITEM}}, {"Put": {"TableName": "seed", "Item": NEW_ITEM}}]},
    type_=VAL)
add("TransactWriteItems: 101 actions", "enums", D + "TransactWriteItems",
    {"TransactItems": [{"Put": {"TableName": "seed", "Item": dict(NEW_ITEM, pk={"S": f"t{i}"})}} for i in range(101)]},
    type_=VAL)
add("TransactWriteItems: an action with two operations", "enums", D + "TransactWriteItems",
    {"TransactItems": [{"Put": {"TableName": "seed", "Item": NEW_ITEM}, "Delete": {"TableName": "seed", "Key": KEY}}]},
    type_=VAL)
add("TransactWriteItems: more than 4 MB", "enums", D + "TransactWriteItems",
    {"TransactItems": [{"Put": {"TableName": "seed", "Item": dict(NEW_ITEM, pk={"S": f"big{i}"},
                                                                   v={"S": "x" * 390_000})}} for i in range(11)]},
    type_=VAL)
add("PutItem: an item over 400 KB", "enums", D + "PutItem",
    {"TableName": "seed", "Item": dict(NEW_ITEM, v={"S": "x" * 410_000})}, type_=VAL)

# ---- bad expressions
for name, cond in (("empty", ""), ("a dangling operator", "v ="), ("no left operand", "= :x"),
                   ("a dangling AND", "v = :x AND"), ("unbalanced parentheses", "((v = :x)"),
                   ("an unknown function", "foo(v)"), ("attribute_exists without a path", "attribute_exists()"),
                   ("an undefined value", "v = :undefined"), ("an undefined name", "#undefined = :x"),
                   ("BETWEEN without AND", "v BETWEEN :x"), ("an empty IN", "v IN ()"), ("NOT alone", "NOT"),
                   ("two values in a row", "v = :x :x"), ("a reserved word as a name", "size = :x"),
                   ("a size without a path", "size() > :x"), ("a comparison of two values", ":x = :x AND v")):
    add(f"ConditionExpression: {name}", "expressions", D + "PutItem",
        {"TableName": "seed", "Item": NEW_ITEM, "ConditionExpression": cond,
         "ExpressionAttributeValues": {":x": {"S": "x"}}}, type_=VAL)
add("ConditionExpression: an unused value", "expressions", D + "PutItem",
    {"TableName": "seed", "Item": NEW_ITEM, "ConditionExpression": "attribute_not_exists(pk)",
     "ExpressionAttributeValues": {":unused": {"S": "x"}}}, type_=VAL)
for name, upd in (("empty", ""), ("SET alone", "SET"), ("SET without a value", "SET v"), ("SET v =", "SET v = "),
                  ("REMOVE alone", "REMOVE"), ("SET twice", "SET v = :v SET w = :v"),
                  ("one path twice", "SET v = :v, v = :v"), ("overlapping paths", "SET v = :v REMOVE v"),
                  ("ADD without a value", "ADD v"), ("DELETE without a value", "DELETE v"),
                  ("the partition key", "SET pk = :v"), ("the sort key", "REMOVE sk"),
                  ("list_append with one argument", "SET v = list_append(:v)"), ("a bad index", "SET v[1x] = :v"),
                  ("an unknown action", "PUT v = :v"), ("if_not_exists with one argument", "SET v = if_not_exists(v)"),
                  ("an undefined value", "SET v = :nope")):
    add(f"UpdateExpression: {name}", "expressions", D + "UpdateItem",
        {"TableName": "seed", "Key": KEY, "UpdateExpression": upd, "ExpressionAttributeValues": {":v": {"S": "x"}}},
        type_=VAL)
for name, kce in (("empty", ""), ("a path alone", "pk"), ("OR", "pk = :p OR sk = :n"),
                  ("the sort key alone", "sk = :n"), ("a non-key attribute", "v = :p"),
                  ("begins_with on a number", "pk = :p AND begins_with(sk, :n)"), ("<> on the key", "pk <> :p"),
                  ("a function on the partition key", "begins_with(pk, :p)"), ("two sort key conditions",
                                                                                "pk = :p AND sk > :n AND sk < :n")):
    add(f"KeyConditionExpression: {name}", "expressions", D + "Query",
        {"TableName": "seed", "KeyConditionExpression": kce,
         "ExpressionAttributeValues": {":p": {"S": "a"}, ":n": {"N": "1"}}}, type_=VAL)
for name, proj in (("empty", ""), ("two commas", "v,,w"), ("an open bracket", "v["), ("a trailing dot", "v."),
                   ("an undefined name", "#nope"), ("a negative index", "v[-1]")):
    add(f"ProjectionExpression: {name}", "expressions", D + "GetItem",
        {"TableName": "seed", "Key": KEY, "ProjectionExpression": proj}, type_=VAL)
add("FilterExpression: on a key attribute in a Query", "expressions", D + "Query",
    {"TableName": "seed", "KeyConditionExpression": "pk = :p", "FilterExpression": "pk = :p",
     "ExpressionAttributeValues": {":p": {"S": "a"}}}, type_=VAL)
add("Scan: Segment without TotalSegments", "expressions", D + "Scan", {"TableName": "seed", "Segment": 1}, type_=VAL)
add("Scan: Segment beyond TotalSegments", "expressions", D + "Scan",
    {"TableName": "seed", "Segment": 5, "TotalSegments": 2}, type_=VAL)
add("Scan: an expression beside its legacy parameter", "expressions", D + "Scan",
    {"TableName": "seed", "FilterExpression": "v = :x", "ScanFilter": {},
     "ExpressionAttributeValues": {":x": {"S": "x"}}}, type_=VAL)
add("ConditionExpression: over 4 KB", "expressions", D + "PutItem",
    {"TableName": "seed", "Item": NEW_ITEM,
     "ConditionExpression": " AND ".join(["attribute_not_exists(pk)"] * 200)}, type_=VAL)

# ---- bad tokens
for name, it in (("empty", ""), ("garbage", "garbage"), ("5,000 characters", "x" * 5000),
                 ("base64 of garbage", base64.b64encode(b"\x00\x01garbage").decode()), ("a JSON object", '{"a":1}')):
    add(f"ShardIterator: {name}", "tokens", S + "GetRecords", {"ShardIterator": it}, type_=VAL)
add("GetShardIterator: an unknown stream", "tokens", S + "GetShardIterator",
    dict(STREAMS_BASE["GetShardIterator"], StreamArn=STREAM_ARN.replace("/seed/", "/nope/")),
    type_="ResourceNotFoundException")
add("GetShardIterator: a stream label that is no time", "tokens", S + "GetShardIterator",
    dict(STREAMS_BASE["GetShardIterator"], StreamArn="arn:aws:dynamodb:us-east-1:000000000000:table/seed/stream/x"),
    type_=VAL)
add("GetShardIterator: a stream ARN that is no ARN", "tokens", S + "GetShardIterator",
    dict(STREAMS_BASE["GetShardIterator"], StreamArn="nope"), type_=VAL)
add("GetShardIterator: ShardIteratorType BOGUS", "tokens", S + "GetShardIterator",
    dict(STREAMS_BASE["GetShardIterator"], ShardIteratorType="BOGUS"), type_=VAL)
add("GetShardIterator: AT_SEQUENCE_NUMBER without a number", "tokens", S + "GetShardIterator",
    dict(STREAMS_BASE["GetShardIterator"], ShardIteratorType="AT_SEQUENCE_NUMBER"), type_=VAL)
add("GetShardIterator: SequenceNumber letters", "tokens", S + "GetShardIterator",
    dict(STREAMS_BASE["GetShardIterator"], ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber="abc"), type_=VAL)
add("DescribeStream: a stream ARN that is no ARN", "tokens", S + "DescribeStream", {"StreamArn": "nope"}, type_=VAL)
add("ListStreams: Limit 0", "tokens", S + "ListStreams", {"Limit": 0}, type_=VAL)
add("Scan: an ExclusiveStartKey of other attributes", "tokens", D + "Scan",
    {"TableName": "seed", "ExclusiveStartKey": {"x": {"S": "a"}}}, type_=VAL)
add("Scan: an ExclusiveStartKey of the wrong type", "tokens", D + "Scan",
    {"TableName": "seed", "ExclusiveStartKey": {"pk": {"N": "1"}, "sk": {"N": "1"}}}, type_=VAL)
add("Query: an ExclusiveStartKey of another partition", "tokens", D + "Query",
    {"TableName": "seed", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "a"}},
     "ExclusiveStartKey": {"pk": {"S": "b"}, "sk": {"N": "1"}}}, type_=VAL)
add("ListTables: Limit 101", "tokens", D + "ListTables", {"Limit": 101}, type_=VAL)
add("TagResource: an ARN that is no ARN", "tokens", D + "TagResource",
    dict(BASE["TagResource"], ResourceArn="nope"), type_="AccessDeniedException")
feed = {"Accept": "text/event-stream"}
for name, q in (("garbage", "garbage"), ("empty-looking", "%20"), ("a NUL", "%00"), ("4,000 characters", "x" * 4000),
                ("CR LF", "abc%0d%0aevent:%20x"), ("base64 of garbage", base64.urlsafe_b64encode(b"\x00\xffjunk").decode()),
                ("a negative position", "-1"), ("a number", "12345"), ("unicode", "%E2%98%83")):
    add(f"feed: since={name}", "feed-tokens", None, "", method="GET", path="/changes/seed?since=" + q,
        content_type=None, headers=feed, type_="InvalidToken")
    add(f"feed (all tables): since={name}", "feed-tokens", None, "", method="GET", path="/changes?since=" + q,
        content_type=None, headers=feed, type_="InvalidToken")
for name, h in (("garbage", "garbage"), ("5,000 characters", "y" * 5000), ("JSON", '{"a":1}')):
    add(f"feed: Last-Event-ID {name}", "feed-tokens", None, "", method="GET", path="/changes/seed",
        content_type=None, headers=dict(feed, **{"Last-Event-ID": h}), type_="InvalidToken")
add("feed: a table that does not exist", "feed-tokens", None, "", method="GET", path="/changes/nope",
    content_type=None, headers=feed, status=404, type_="TableNotFound")
add("feed: sortKey without partitionKey", "feed-tokens", None, "", method="GET", path="/changes/seed?sortKey=1",
    content_type=None, headers=feed, type_="InvalidParameter")

# ---- content types and headers
for ct in ("text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
           "image/png", "application/cbor", "garbage", "text/html; charset=utf-8"):
    add(f"Content-Type {ct}", "content-type", D + "PutItem", BASE["PutItem"], content_type=ct, type_=SER)
add("no X-Amz-Target", "headers", None, BASE["PutItem"], type_="UnknownOperationException")
for t in ("", D, D + "Nope", "dynamodb_20120810.PutItem", D + "PutItem.extra", "PutItem", D + "ExecuteStatement",
          S + "PutItem", "DynamoDB_20111205.PutItem", D + "putitem"):
    add(f"X-Amz-Target {t!r}", "headers", t, BASE["PutItem"], type_="UnknownOperationException")
for method, path, status, t in (("GET", "/nope", 404, "NotFound"), ("DELETE", "/", 405, "UnknownOperationException"),
                                ("PUT", "/", 405, "UnknownOperationException"), ("PATCH", "/changes", 405, "MethodNotAllowed"),
                                ("POST", "/changes/seed", 405, "MethodNotAllowed"), ("POST", "/health", 405, "MethodNotAllowed"),
                                ("GET", "/changes/seed/extra", 404, "NotFound")):
    add(f"{method} {path}", "routes", None, "", method=method, path=path, content_type=None, status=status, type_=t)
add("checkpoint: no directory", "routes", None, "", method="POST", path="/admin/checkpoint", content_type=None,
    type_="InvalidParameter")
add("checkpoint: a relative directory", "routes", None, "", method="POST", path="/admin/checkpoint?directory=rel",
    content_type=None, type_="InvalidParameter")

# ---- framing, on a raw socket
GOOD = json.dumps(BASE["PutItem"])
def head(extra, target="PutItem", line="POST / HTTP/1.1"):
    return (line + "\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: " + D + target
            + "\r\n" + extra + "\r\n")
def chunked(size_line, data="", tail="\r\n0\r\n\r\n"):
    return head("Transfer-Encoding: chunked\r\n") + size_line + "\r\n" + data + tail
raw("chunk size zz", "framing", chunked("zz", GOOD), type_=SER)
raw("chunk size -1", "framing", chunked("-1", GOOD), type_=SER)
raw("a 100 KB chunk extension", "framing", chunked("5;" + "e" * 100_000, "{}{}{"), type_=SER)
raw("a chunk size beyond a long", "framing", chunked("FFFFFFFFFFFFFFFFFFFF", GOOD), type_=SER)
raw("chunk data longer than its size", "framing", chunked("2", GOOD), type_=SER)
raw("Content-Length abc", "framing", head("Content-Length: abc\r\n") + GOOD, type_=SER)
raw("Content-Length -5", "framing", head("Content-Length: -5\r\n") + GOOD, type_=SER)
raw("two different Content-Lengths", "framing",
    head(f"Content-Length: {len(GOOD)}\r\nContent-Length: {len(GOOD) + 1}\r\n") + GOOD + " ", type_=SER)
raw("Content-Length and Transfer-Encoding", "framing",
    head(f"Content-Length: {len(GOOD)}\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\n", type_=SER)
raw("Transfer-Encoding gzip", "framing", head("Transfer-Encoding: gzip\r\n") + GOOD, type_=SER)
raw("Transfer-Encoding chunked, gzip", "framing", head("Transfer-Encoding: chunked, gzip\r\n") + GOOD, type_=SER)
raw("a request line of garbage", "framing", "GARBAGE\r\n\r\n", type_=SER)
raw("HTTP/9.9", "framing", head(f"Content-Length: {len(GOOD)}\r\n", line="POST / HTTP/9.9") + GOOD, type_=SER)
raw("no request target", "framing", "POST  HTTP/1.1\r\nHost: x\r\n\r\n", type_=SER)
raw("a header line without a colon", "framing", head("NoColonHere\r\nContent-Length: 2\r\n") + "{}", type_=SER)
raw("a space before a header's colon", "framing", head("Content-Length : 2\r\n") + "{}", type_=SER)
raw("a NUL in a header value", "framing", head("X-Thing: a\x00b\r\nContent-Length: 2\r\n") + "{}", type_=SER)
raw("a control character in a header name", "framing", head("X-\x01Thing: a\r\nContent-Length: 2\r\n") + "{}",
    type_=SER)
raw("a folded header line", "framing", head("X-Thing: a\r\n  folded\r\nContent-Length: 2\r\n") + "{}", type_=SER)
raw("a 20 KB header", "framing", head("X-Big: " + "h" * 20_000 + "\r\nContent-Length: 2\r\n") + "{}", status=431,
    type_="RequestHeaderFieldsTooLarge")
raw("a 20 KB request target", "framing", "GET /" + "u" * 20_000 + " HTTP/1.1\r\nHost: x\r\n\r\n", status=414,
    type_="RequestUriTooLong", shape="dynamodb")
raw("a 20 KB feed token", "framing", "GET /changes/seed?since=" + "u" * 20_000 + " HTTP/1.1\r\nHost: x\r\n\r\n",
    status=414, type_="RequestUriTooLong", shape="dynamodb")
raw("no Host header", "framing", "POST / HTTP/1.1\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: "
    + D + "PutItem\r\nContent-Length: " + str(len(GOOD)) + "\r\n\r\n" + GOOD, type_=SER)
raw("two Host headers", "framing", head("Host: other\r\nContent-Length: " + str(len(GOOD)) + "\r\n") + GOOD,
    type_=SER)
raw("a body larger than 16 MB announced", "framing", head("Content-Length: 99999999999\r\n") + "{}", status=413,
    type_="RequestEntityTooLarge")
raw("a bad percent escape in the path", "framing", "GET /changes/%zz HTTP/1.1\r\nHost: x\r\n\r\n", type_=SER,
    shape="dynamodb")
raw("HTTP/2.0 on an HTTP/1.1 connection", "framing", head("Content-Length: 2\r\n", line="POST / HTTP/2.0") + "{}",
    status=426, type_=VAL)
raw("a lower-case method", "framing", head("Content-Length: 2\r\n", line="post / HTTP/1.1") + "{}", status=405,
    type_="UnknownOperationException")

with open(OUT, "w", encoding="utf-8") as f:
    for c in cases:
        for field in ("body", "raw"):
            if field in c:
                c[field] = compress(c[field])
        f.write(json.dumps(c, ensure_ascii=True) + "\n")
print(f"{len(cases)} cases written to {os.path.relpath(OUT)}")
