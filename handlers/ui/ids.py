"""Every Slack identifier the app registers or builds: commands, callback, block and action ids.

One place, shared by the handlers, the Block Kit builders, the tests and the manifest test.
"""

COMMAND = "/drift-open"
MESSAGE_SHORTCUT_CALLBACK_ID = "open_in_drift"
GLOBAL_SHORTCUT_CALLBACK_ID = "open_in_drift_global"
WORKFLOW_STEP_CALLBACK_ID = "create_drift_conversation"

FORM_CALLBACK_ID = "drift_open_form"
STATUS_CALLBACK_ID = "drift_open_status"
ALREADY_CALLBACK_ID = "drift_open_already"
LABEL_CALLBACK_ID = "drift_open_channel_label"

EMAIL_BLOCK = "email"
EMAIL_ACTION = "email_input"
MESSAGE_BLOCK = "message"
MESSAGE_ACTION = "message_input"
ASSIGNEE_BLOCK = "assignee"
ASSIGNEE_ACTION = "assignee_select"
ASSIGNEE_PREVIEW_BLOCK = "assignee_preview"
CHANNEL_BLOCK = "answer_channel"
CHANNEL_ACTION = "answer_channel_select"
LABEL_CHANNEL_BLOCK = "label_channel"
LABEL_CHANNEL_ACTION = "label_channel_select"
LABEL_TEXT_BLOCK = "label_text"
LABEL_TEXT_ACTION = "label_text_input"

RETRY_ACTION = "drift_open_retry"
CREATE_ANOTHER_ACTION = "drift_open_create_another"
OPEN_LINK_ACTION = "drift_open_link"
HOME_OPEN_ACTION = "drift_open_from_home"
HOME_LABEL_ACTION = "drift_open_label_channel"
REACTION_OPEN_ACTION = "drift_open_from_reaction"
