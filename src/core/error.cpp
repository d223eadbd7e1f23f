// placeholder: filled by the issue-2 work
