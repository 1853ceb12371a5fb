"""The console's pages, one Flask blueprint per page group (as Flask's tutorial does)."""

from console.views import admin, auth, conversations, followups, insights, review

BLUEPRINTS = (auth.bp, conversations.bp, followups.bp, review.bp, insights.bp, admin.bp)
