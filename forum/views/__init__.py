"""Provider forums' pages: one module a topic, every URL rule listed in forum.views.urls.

  /forums, /forums/<slug>, /forums.atom       forums, their pages and feeds (forums, syndication)
  /forums/<slug>/threads, /posts/<id>         threads and posts (threads)
  /needs, /forums/<slug>/needs/new            need statements (needs)
  /meetings, /forums/<slug>/meetings/new      meetings, registration, minutes, calendars (meetings)
  /attachments/<id>                           download (meetings)
  /search                                     full-text search (searching)
  /notifications/settings                     how forum activity is emailed (notification_settings)
"""
from forum.views.urls import bp

__all__ = ["bp"]
