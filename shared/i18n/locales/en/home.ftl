# The workspace's home page: its dashboard.
home-title = Home
home-new-deadline = New deadline
home-reports = Reports
home-late = late
home-for-me = { $count } for me
home-due-soon = due within { $days } days
home-no-report = No report late or due within { $days } days.
home-me = me
home-projects = Running projects
home-running = running
home-running-mine = { $count } that I lead
home-planned =
    { $count ->
        [one] planned
       *[other] planned
    }
home-no-project = No project planned or running.
home-milestones = Milestones: { $done } of { $count }
home-milestones-short = { $done } of { $count }
home-budget = Budget: { $amount }
home-over-budget = (over)
home-partnerships = Partnerships
home-no-partnership = No partnership yet.
home-ending-soon = Ending within 3 months
home-to-evaluate = To evaluate
home-network = The network
home-partners =
    { $count ->
        [one] partner
       *[other] partners
    }
home-partners-hint = (organisations in a running partnership)
home-new-partners =
    { $count ->
        [one] new this year
       *[other] new this year
    }
home-dormant = dormant (no activity for 12 months)
home-dormant-list = The dormant partners
home-see-network = See the network drawn, and how it changed
home-see-targets = The partnership targets
home-team-activity = The team's recent activity
home-no-team-activity = Nothing new from your colleagues.
home-my-tasks = My tasks
home-no-task = No open task.
home-late-by =
    { $days ->
        [one] { $days } day late
       *[other] { $days } days late
    }
home-due-on = due { $when }
home-spent-of = { $spent } spent of { $planned }
home-ends-on = ends on { $date }
home-evaluation-overdue = evaluation due since { $date }
home-evaluation-on = evaluation on { $date }
home-no-activity = no activity recorded
home-last-activity = last activity on { $date }
home-task-late = late: due on { $date }
home-task-on = due on { $date }
home-task-undated = no date
