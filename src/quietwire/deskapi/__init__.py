"""quietwire.deskapi"""
