// Generated from services/event_types.py by `python3 -m services.event_types --write`: do not
// edit. services/tests/test_event_types.py fails when it is out of date.
export const DESCRIPTIONS = {
  "start": {"fields": [], "sent_by": "operator", "tablet_action": "actions.js: start"},
  "stop": {"fields": [], "sent_by": "operator", "tablet_action": "actions.js: stop"},
  "produce": {"fields": [{"name": "qty", "kind": "quantity", "required": true, "above": 0, "max": 1000000000.0}, {"name": "lot", "kind": "text", "required": false, "max_length": 200}], "sent_by": "operator", "tablet_action": "actions.js: produce"},
  "scrap": {"fields": [{"name": "qty", "kind": "quantity", "required": true, "above": 0, "max": 1000000000.0}, {"name": "reason", "kind": "text", "required": true, "max_length": 200}, {"name": "product_id", "kind": "id", "required": false, "max": 2147483647, "min": 0}], "sent_by": "operator", "tablet_action": "actions.js: scrap"},
  "consume": {"fields": [{"name": "product_id", "kind": "id", "required": true, "max": 2147483647, "min": 0}, {"name": "qty", "kind": "quantity", "required": true, "above": 0, "max": 1000000000.0}, {"name": "lot", "kind": "text", "required": false, "max_length": 200}], "sent_by": "operator", "tablet_action": "actions.js: consume"},
  "downtime_start": {"fields": [{"name": "reason", "kind": "text", "required": true, "max_length": 200}], "sent_by": "operator", "tablet_action": "actions.js: downtimeStart"},
  "downtime_end": {"fields": [], "sent_by": "operator", "tablet_action": "actions.js: downtimeEnd"},
  "check": {"fields": [{"name": "point_id", "kind": "id", "required": true, "max": 2147483647, "min": 0}, {"name": "result", "kind": "choice", "required": true, "choices": ["pass", "fail"]}, {"name": "value", "kind": "number", "required": false, "max": 1000000000.0, "min": -1000000000.0}, {"name": "note", "kind": "text", "required": false, "max_length": 200}], "sent_by": "operator", "tablet_action": "actions.js: check"},
  "finish": {"fields": [], "sent_by": "operator", "tablet_action": "actions.js: finish"},
  "machine_cycle": {"fields": [{"name": "count", "kind": "count", "required": true, "max": 2147483647, "min": 1}, {"name": "good", "kind": "count", "required": false, "max": 2147483647, "min": 0}, {"name": "scrap", "kind": "count", "required": false, "max": 2147483647, "min": 0}], "sent_by": "machine", "tablet_action": null},
  "machine_state": {"fields": [{"name": "state", "kind": "choice", "required": true, "choices": ["running", "idle", "down", "setup"]}, {"name": "code", "kind": "text", "required": false, "max_length": 200}], "sent_by": "machine", "tablet_action": null},
  "machine_stop_reason": {"fields": [{"name": "stop", "kind": "text", "required": true, "max_length": 200}, {"name": "reason", "kind": "text", "required": true, "max_length": 200}], "sent_by": "operator", "tablet_action": "machine_stop.js: classifyStop"},
  "maintenance_request": {"fields": [{"name": "note", "kind": "text", "required": true, "max_length": 200}], "sent_by": "operator", "tablet_action": "actions.js: requestMaintenance"},
  "undo": {"fields": [{"name": "event", "kind": "text", "required": true, "max_length": 200}], "sent_by": "operator", "tablet_action": "actions.js: undoLast"}
};
