# The names of the values records choose from (maillage_domain::kinds), by list.

tenant-kind-association = Association
tenant-kind-municipality = Municipality or group of municipalities
tenant-kind-federation = Federation or network
tenant-kind-other = Other

organisation-kind-funder = Funder
organisation-kind-public_body = Public body
organisation-kind-association = Association
organisation-kind-company = Company
organisation-kind-network = Network
organisation-kind-other = Other

partnership-kind-funding = Funding
partnership-kind-operational = Operational
partnership-kind-institutional = Institutional
partnership-kind-network = Network

partnership-status-prospect = Prospect
partnership-status-negotiating = Negotiating
partnership-status-active = Active
partnership-status-evaluating = Under evaluation
partnership-status-closed = Closed

project-status-planned = Planned
project-status-running = Running
project-status-suspended = Suspended
project-status-completed = Completed
project-status-cancelled = Cancelled

activity-kind-meeting = Meeting
activity-kind-call = Call
activity-kind-email = Email
activity-kind-event = Event
activity-kind-note = Note
activity-kind-task = Task

engagement-kind-grant = Grant
engagement-kind-donation = Donation
engagement-kind-in_kind = In-kind donation
engagement-kind-bequest = Bequest
engagement-kind-membership_fee = Membership fee
engagement-kind-sponsorship = Sponsorship
engagement-kind-volunteering = Volunteering
engagement-kind-subscription = Subscription
engagement-kind-purchase = Purchase

consent-basis-consent = The person's consent
consent-basis-contract = Contract (membership, registration…)
consent-basis-legal_obligation = Legal obligation
consent-basis-vital_interest = Vital interests
consent-basis-public_task = Public interest task
consent-basis-legitimate_interest = Legitimate interest
