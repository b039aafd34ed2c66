# vm-demand

demand-summary = demand paging: memory is mapped at once but given frames only when touched
