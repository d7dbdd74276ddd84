"""The payment channels the branch office lists on cards and receipts."""
