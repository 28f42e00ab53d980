"""Every Slack identifier the app registers or builds: commands, callback, block and action ids.

One place, shared by the handlers, the Block Kit builders, the tests and the manifest test.
"""

COMMAND = "/drift-open"
MESSAGE_SHORTCUT_CALLBACK_ID = "open_in_drift"
GLOBAL_SHORTCUT_CALLBACK_ID = "open_in_drift_global"

FORM_CALLBACK_ID = "drift_open_form"
STATUS_CALLBACK_ID = "drift_open_status"
ALREADY_CALLBACK_ID = "drift_open_already"

EMAIL_BLOCK = "email"
EMAIL_ACTION = "email_input"
MESSAGE_BLOCK = "message"
MESSAGE_ACTION = "message_input"
ASSIGNEE_BLOCK = "assignee"
ASSIGNEE_ACTION = "assignee_select"
ASSIGNEE_PREVIEW_BLOCK = "assignee_preview"
CHANNEL_BLOCK = "answer_channel"
CHANNEL_ACTION = "answer_channel_select"

RETRY_ACTION = "drift_open_retry"
CREATE_ANOTHER_ACTION = "drift_open_create_another"
OPEN_LINK_ACTION = "drift_open_link"
HOME_OPEN_ACTION = "drift_open_from_home"

SEND_TO_CUSTOMER_CALLBACK_ID = "send_to_drift_customer"
SEND_CONFIRM_CALLBACK_ID = "drift_open_send_confirm"
CONTACT_CONTEXT_BLOCK = "contact_context"
TARGET_BLOCK = "target"
TARGET_ACTION = "target_choice"
NEW_CONVERSATION = "new"
ADD_PREFIX = "add:"
THREAD_BLOCK = "whole_thread"
THREAD_ACTION = "whole_thread_choice"
THREAD_NOTE_BLOCK = "whole_thread_note"
WHOLE_THREAD = "whole_thread"
